package io.qoderevents.web;

import io.qoderevents.upstream.SessionIds;

/** The {@code session_id} a caller sends, checked before it reaches a query or the upstream. */
public final class SessionIdParameter {

	private SessionIdParameter() {
	}

	/**
	 * Returns the id when it is a Qoder session id.
	 * @throws InvalidParameterException naming {@code session_id} otherwise
	 */
	public static String require(String sessionId) {
		if (!SessionIds.isValid(sessionId)) {
			throw new InvalidParameterException("session_id",
					"session_id must be 'sess_' followed by 32 lowercase hex digits");
		}
		return sessionId;
	}

}
