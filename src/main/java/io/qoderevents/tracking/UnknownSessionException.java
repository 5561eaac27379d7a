package io.qoderevents.tracking;

/** The session a caller named is not tracked. */
public class UnknownSessionException extends RuntimeException {

	UnknownSessionException(String sessionId) {
		super("Session " + sessionId + " is not tracked");
	}

}
