package io.qoderevents.upstream;

import java.util.regex.Pattern;

/**
 * Qoder session ids: {@code sess_} (or the legacy {@code ses_}) and 32 lowercase hex
 * digits. Nothing else reaches a URL.
 */
public final class SessionIds {

	private static final Pattern SESSION_ID = Pattern.compile("(sess|ses)_[0-9a-f]{32}");

	private SessionIds() {
	}

	public static boolean isValid(String sessionId) {
		return sessionId != null && SESSION_ID.matcher(sessionId).matches();
	}

	/**
	 * The id itself when it is a Qoder session id, the check before an id goes into a
	 * request.
	 * @throws IllegalArgumentException when it is not
	 */
	public static String require(String sessionId) {
		if (!isValid(sessionId)) {
			throw new IllegalArgumentException("Not a Qoder session id");
		}
		return sessionId;
	}

}
