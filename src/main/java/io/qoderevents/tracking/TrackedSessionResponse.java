package io.qoderevents.tracking;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A tracked session: where ingestion stands.
 *
 * @param sessionId the Qoder session id
 * @param state the ingestion state, as {@link SessionState#value()}
 * @param trackedAt when tracking started
 * @param cursor id of the last event read (the upstream {@code after_id} of the next
 * poll)
 * @param eventCount events stored for the session
 * @param quarantinedCount events the upstream sent that could not be stored as events
 * @param lastPolledAt last poll attempt
 * @param lastSuccessAt last successful poll
 * @param nextPollAt when the session is next due
 * @param consecutiveFailures failed polls since the last success
 * @param lastError the last failure, or null after a success
 * @param snapshot what the upstream last said about the session itself, or null before
 * the first read
 */
public record TrackedSessionResponse(String sessionId, SessionState state, Instant trackedAt, String cursor,
		long eventCount, long quarantinedCount, Instant lastPolledAt, Instant lastSuccessAt, Instant nextPollAt,
		int consecutiveFailures, TrackedSession.LastError lastError, @Schema(nullable = true) Snapshot snapshot) {

	TrackedSessionResponse withSnapshot(Snapshot read) {
		return new TrackedSessionResponse(this.sessionId, this.state, this.trackedAt, this.cursor, this.eventCount,
				this.quarantinedCount, this.lastPolledAt, this.lastSuccessAt, this.nextPollAt, this.consecutiveFailures,
				this.lastError, read);
	}

}
