package io.qoderevents.errors;

import java.util.List;

import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;

/**
 * Which errors a report groups, and how.
 *
 * @param grouping by type, message or session
 * @param range the window on the errors' event time
 * @param sessionIds the sessions to include, all when empty
 */
record ErrorFilter(ErrorGrouping grouping, TimeRange range, List<String> sessionIds) {

	/**
	 * Validates the query parameters of an error report.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static ErrorFilter of(String groupBy, String since, String until, List<String> sessionIds) {
		ErrorGrouping grouping = ErrorGrouping.of(groupBy);
		TimeRange range = TimeRange.of(since, until);
		List<String> sessions = SessionIdParameter.requireAll(sessionIds);
		return new ErrorFilter(grouping, range, sessions);
	}

}
