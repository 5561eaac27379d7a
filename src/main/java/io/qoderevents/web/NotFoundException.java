package io.qoderevents.web;

/** The resource a caller named does not exist; answered with 404. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

}
