package io.qoderevents.errors;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code session.error} events grouped by type, by type and message pattern, or by
 * session.
 *
 * @param errorType {@code error.type}; for a session, its most frequent type
 * @param message the message pattern (ids and numbers replaced) when grouping by message
 * @param sampleMessage one message of the group when grouping by message
 * @param sessionId the session when grouping by session
 * @param count the errors in the group
 * @param sessionCount the sessions they happened in
 * @param firstSeen event time of the group's first error
 * @param lastSeen event time of the group's last error
 * @param retryStatus the errors of the group by {@code retry_status.type}
 * @param byType when grouping by session, the session's errors by type, most frequent
 * first
 */
record ErrorGroup(@Schema(example = "model_overloaded_error") String errorType,
		@Schema(description = "The message with ids and numbers replaced; only when grouping by message",
				example = "timed out after <n>s (<id>)") @JsonInclude(JsonInclude.Include.NON_NULL) String message,
		@Schema(description = "One message of the group; only when grouping by message") @JsonInclude(JsonInclude.Include.NON_NULL) String sampleMessage,
		@Schema(description = "Only when grouping by session") @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId,
		long count, long sessionCount, Instant firstSeen, Instant lastSeen, RetryStatusCounts retryStatus,
		@Schema(description = "Only when grouping by session: the session's errors by type, most frequent first",
				nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) List<TypeCount> byType) {

	/** The session group with its types, the most frequent one as its error type. */
	ErrorGroup withTypes(List<TypeCount> types) {
		List<TypeCount> all = (types != null) ? types : List.of();
		return new ErrorGroup(all.isEmpty() ? null : all.get(0).errorType(), this.message, this.sampleMessage,
				this.sessionId, this.count, this.sessionCount, this.firstSeen, this.lastSeen, this.retryStatus, all);
	}

	/**
	 * One error type's share of a session group.
	 *
	 * @param errorType {@code error.type}
	 * @param count the session's errors of that type
	 * @param firstSeen event time of the first of them
	 * @param lastSeen event time of the last of them
	 * @param retryStatus them by {@code retry_status.type}
	 */
	record TypeCount(@Schema(example = "model_overloaded_error") String errorType, long count, Instant firstSeen,
			Instant lastSeen, RetryStatusCounts retryStatus) {
	}

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
