package io.qoderevents.webhooks;

/** A webhook delivery that is not accepted, and why. */
class WebhookRejectedException extends RuntimeException {

	private final Reason reason;

	WebhookRejectedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

	/** Why a delivery is refused. */
	enum Reason {

		/** Missing or malformed headers, a wrong signature or a stale timestamp. */
		UNSIGNED,
		/** A body over {@code qoder.webhooks.max-body-size}. */
		TOO_LARGE,
		/** A signed body that is not the JSON of a webhook. */
		MALFORMED

	}

}
