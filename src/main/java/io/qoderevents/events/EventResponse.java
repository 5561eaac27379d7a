package io.qoderevents.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A stored event: the envelope the service keeps, and the upstream event as received.
 *
 * @param id the upstream event id
 * @param sessionId the session
 * @param sequence the 1-based position of the event in its session, in upstream list
 * order
 * @param type the event type
 * @param turnId the turn: the upstream {@code turn_id}, else the id of the
 * {@code user.message} that opened it; null before the first turn
 * @param sessionThreadId the thread of a thread event, null on the primary thread
 * @param createdAt the upstream {@code created_at} exactly as received, or null
 * @param processedAt the upstream {@code processed_at} exactly as received, or null
 * @param eventTime the time the event is ordered and windowed by
 * @param ingestedAt when the service stored the event
 * @param payload the upstream event, as stored
 */
record EventResponse(@Schema(example = "evt_019e392c0d787cfaa21bda98e06cd913") String id,
		@Schema(example = "sess_019e392c0d1e74e095d21ea4c6b41def") String sessionId,
		@Schema(description = "1-based position in the session, in upstream list order") long sequence,
		@Schema(example = "user.message") String type,
		@Schema(example = "turn_019e392c0d787ceea6bb62943f9ac3ec", nullable = true) String turnId,
		@Schema(example = "sthr_019e392c0d787ceea6bb62943f9ac3ec", nullable = true) String sessionThreadId,
		@Schema(description = "As received, full precision", example = "2026-05-18T03:40:48.888851795Z",
				nullable = true) String createdAt,
		@Schema(description = "As received, full precision", example = "2026-05-18T03:40:48.888851795Z",
				nullable = true) String processedAt,
		@Schema(description = "created_at, else processed_at, else the time of the event before it in the session, "
				+ "else the ingestion time") Instant eventTime,
		Instant ingestedAt,
		@Schema(type = "object", description = "The upstream event exactly as received") @JsonRawValue String payload) {
}
