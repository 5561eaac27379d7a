package io.qoderevents.events;

import java.time.OffsetDateTime;
import java.util.List;

import io.qoderevents.web.TimeRange;
import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;

/**
 * Which events a list or an export selects. Empty lists and nulls select everything.
 *
 * @param session the session of the per-session endpoint, or null across sessions
 * @param sessionIds the sessions to include
 * @param types the event types to include
 * @param turnId the turn to include
 * @param range the event-time window
 */
record EventFilter(String session, List<String> sessionIds, List<String> types, String turnId, TimeRange range) {

	/** Most values a repeatable filter takes. */
	static final int MAX_VALUES = 100;

	/**
	 * Validates the query parameters of an events request.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static EventFilter of(String session, EventParameters parameters) {
		if (session != null) {
			requireSessionId(session);
		}
		List<String> sessionIds = values("session_id", parameters.sessionIds());
		sessionIds.forEach(EventFilter::requireSessionId);
		List<String> types = values("type", parameters.types());
		String turnId = (parameters.turnId() != null && !parameters.turnId().isBlank()) ? parameters.turnId() : null;
		return new EventFilter(session, sessionIds, types, turnId,
				TimeRange.of(parameters.since(), parameters.until()));
	}

	OffsetDateTime since() {
		return this.range.since();
	}

	OffsetDateTime until() {
		return this.range.until();
	}

	private static List<String> values(String field, List<String> values) {
		List<String> present = (values != null) ? values.stream().filter((value) -> !value.isBlank()).toList()
				: List.of();
		if (present.size() > MAX_VALUES) {
			throw new InvalidParameterException(field, field + " may be given at most " + MAX_VALUES + " times");
		}
		return present;
	}

	static void requireSessionId(String sessionId) {
		SessionIdParameter.require(sessionId);
	}

}
