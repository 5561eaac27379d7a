package io.qoderevents.pricing;

/** A price of the same kind, model and time exists; answered with 409. */
class DuplicatePriceException extends RuntimeException {

	DuplicatePriceException(Price price) {
		super("A " + price.kind().value() + " price" + ((price.model() != null) ? " of " + price.model() : "")
				+ " from " + price.from() + " exists; prices are history: add one from another time");
	}

}
