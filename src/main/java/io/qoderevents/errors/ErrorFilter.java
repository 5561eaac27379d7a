package io.qoderevents.errors;

import java.util.List;

import io.qoderevents.web.TimeRange;
import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;

/**
 * Which errors a report groups, and how.
 *
 * @param grouping by type, message or session
 * @param range the window on the errors' event time
 * @param sessionIds the sessions to include, all when empty
 */
record ErrorFilter(ErrorGrouping grouping, TimeRange range, List<String> sessionIds) {

	/** Most values {@code session_id} takes. */
	static final int MAX_SESSIONS = 100;

	/**
	 * Validates the query parameters of an error report.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static ErrorFilter of(String groupBy, String since, String until, List<String> sessionIds) {
		ErrorGrouping grouping = ErrorGrouping.of(groupBy);
		TimeRange range = TimeRange.of(since, until);
		List<String> sessions = (sessionIds != null) ? sessionIds.stream().filter((id) -> !id.isBlank()).toList()
				: List.of();
		if (sessions.size() > MAX_SESSIONS) {
			throw new InvalidParameterException("session_id",
					"session_id may be given at most " + MAX_SESSIONS + " times");
		}
		sessions.forEach(ErrorFilter::requireSessionId);
		return new ErrorFilter(grouping, range, sessions);
	}

	static void requireSessionId(String sessionId) {
		SessionIdParameter.require(sessionId);
	}

}
