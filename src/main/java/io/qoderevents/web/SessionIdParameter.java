package io.qoderevents.web;

import java.util.List;

import io.qoderevents.upstream.SessionIds;

/**
 * The {@code session_id} a caller sends, checked before it reaches a query or the
 * upstream.
 */
public final class SessionIdParameter {

	private SessionIdParameter() {
	}

	/** Most values a repeatable filter takes. */
	public static final int MAX_VALUES = 100;

	/**
	 * The values of a repeatable filter, blanks dropped.
	 * @throws InvalidParameterException naming the field when it is given more than
	 * {@value #MAX_VALUES} times
	 */
	public static List<String> repeatable(String field, List<String> values) {
		List<String> present = (values != null) ? values.stream().filter((value) -> !value.isBlank()).toList()
				: List.of();
		if (present.size() > MAX_VALUES) {
			throw new InvalidParameterException(field, field + " may be given at most " + MAX_VALUES + " times");
		}
		return present;
	}

	/**
	 * The {@code session_id} filter values, each a Qoder session id.
	 * @throws InvalidParameterException naming {@code session_id} otherwise
	 */
	public static List<String> requireAll(List<String> sessionIds) {
		List<String> sessions = repeatable("session_id", sessionIds);
		sessions.forEach(SessionIdParameter::require);
		return sessions;
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
