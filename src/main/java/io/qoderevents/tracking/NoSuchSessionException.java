package io.qoderevents.tracking;

/**
 * The session a caller named is neither tracked nor has stored events: the service has
 * never heard of it.
 */
public class NoSuchSessionException extends RuntimeException {

	public NoSuchSessionException(String sessionId) {
		super("Session " + sessionId + " is neither tracked nor has events");
	}

}
