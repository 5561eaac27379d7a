package io.qoderevents.errors;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code session.error} events grouped by type, by type and message pattern, or by
 * session and type.
 *
 * @param errorType {@code error.type}
 * @param message the message pattern (ids and numbers replaced) when grouping by message
 * @param sampleMessage one message of the group when grouping by message
 * @param sessionId the session when grouping by session
 * @param count the errors in the group
 * @param sessionCount the sessions they happened in
 * @param firstSeen event time of the group's first error
 * @param lastSeen event time of the group's last error
 * @param retryStatus the errors of the group by {@code retry_status.type}
 */
record ErrorGroup(@Schema(example = "model_overloaded_error") String errorType,
		@Schema(description = "The message with ids and numbers replaced; only when grouping by message",
				example = "timed out after <n>s (<id>)") @JsonInclude(JsonInclude.Include.NON_NULL) String message,
		@Schema(description = "One message of the group; only when grouping by message") @JsonInclude(JsonInclude.Include.NON_NULL) String sampleMessage,
		@Schema(description = "Only when grouping by session") @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId,
		long count, long sessionCount, Instant firstSeen, Instant lastSeen, RetryStatusCounts retryStatus) {

	/**
	 * Errors by {@code retry_status.type}, read at the event's top level or inside
	 * {@code error}.
	 *
	 * @param retrying the same error may repeat
	 * @param exhausted the turn is dead, the session went back to idle
	 * @param terminal the session terminates
	 * @param unknown no or an unrecognised retry status
	 */
	record RetryStatusCounts(long retrying, long exhausted, long terminal, long unknown) {
	}

}
