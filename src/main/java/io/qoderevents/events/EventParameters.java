package io.qoderevents.events;

import java.util.List;

import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.web.bind.annotation.BindParam;

/**
 * The filters shared by the events lists and exports, as sent.
 *
 * @param sessionIds {@code session_id}, repeatable
 * @param types {@code type}, repeatable
 * @param turnId {@code turn_id}
 * @param sessionThreadId {@code session_thread_id}
 * @param since {@code since}, RFC 3339, inclusive
 * @param until {@code until}, RFC 3339, exclusive
 */
record EventParameters(
		@Parameter(name = "session_id",
				description = "Only these sessions (repeatable)") @BindParam("session_id") List<String> sessionIds,
		@Parameter(name = "type",
				description = "Only these event types, e.g. session.error (repeatable)") @BindParam("type") List<String> types,
		@Parameter(name = "turn_id", description = "Only the events of this turn") @BindParam("turn_id") String turnId,
		@Parameter(name = "session_thread_id",
				description = "Only the events of this thread") @BindParam("session_thread_id") String sessionThreadId,
		@Parameter(name = "since", description = "Event time on or after this RFC 3339 timestamp") String since,
		@Parameter(name = "until", description = "Event time before this RFC 3339 timestamp") String until) {
}
