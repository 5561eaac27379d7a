package io.qoderevents.errors;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A {@code session.error} event, flattened.
 *
 * @param eventId the event id
 * @param sessionId the session
 * @param turnId the turn, or null
 * @param createdAt the upstream {@code created_at} exactly as received (else the event
 * time)
 * @param errorType {@code error.type}
 * @param message {@code error.message}, else {@code details.message}
 * @param detailsName {@code details.name}
 * @param detailsMessage {@code details.message}
 * @param retryStatus {@code retry_status.type} (top level or inside {@code error}), or
 * {@code unknown}
 */
record SessionError(String eventId, String sessionId, @Schema(nullable = true) String turnId,
		@Schema(example = "2026-05-18T03:40:48.888851795Z") String createdAt,
		@Schema(example = "model_overloaded_error") String errorType, @Schema(nullable = true) String message,
		@Schema(nullable = true) String detailsName, @Schema(nullable = true) String detailsMessage,
		@Schema(allowableValues = {
				"retrying", "exhausted", "terminal", "unknown" }) String retryStatus){
}
