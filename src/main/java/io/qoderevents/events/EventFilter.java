package io.qoderevents.events;

import java.util.List;

import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;

/**
 * Which events a list or an export selects. Empty lists and nulls select everything.
 *
 * @param session the session of the per-session endpoint, or null across sessions
 * @param sessionIds the sessions to include
 * @param types the event types to include
 * @param turnId the turn to include
 * @param sessionThreadId the thread to include
 * @param range the event-time window
 */
record EventFilter(String session, List<String> sessionIds, List<String> types, String turnId, String sessionThreadId,
		TimeRange range) {

	/**
	 * Validates the query parameters of an events request.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static EventFilter of(String session, EventParameters parameters) {
		if (session != null) {
			SessionIdParameter.require(session);
		}
		List<String> sessionIds = SessionIdParameter.requireAll(parameters.sessionIds());
		List<String> types = SessionIdParameter.repeatable("type", parameters.types());
		String turnId = (parameters.turnId() != null && !parameters.turnId().isBlank()) ? parameters.turnId() : null;
		String thread = (parameters.sessionThreadId() != null && !parameters.sessionThreadId().isBlank())
				? parameters.sessionThreadId() : null;
		return new EventFilter(session, sessionIds, types, turnId, thread,
				TimeRange.of(parameters.since(), parameters.until()));
	}

}
