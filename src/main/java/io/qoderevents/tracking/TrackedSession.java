package io.qoderevents.tracking;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A tracked session as the API reads it. Read-only here: tracking writes these rows
 * through {@link JdbcTrackingRepository} and the poller through its lease repository,
 * with explicit SQL, so JPA never writes back a stale copy.
 */
@Entity
@Immutable
@Table(name = "tracked_session")
class TrackedSession {

	@Id
	private String sessionId;

	@Convert(converter = SessionStateColumn.class)
	private SessionState state;

	private Instant trackedAt;

	@Column(name = "cursor")
	private String cursor;

	private long eventCount;

	private long quarantinedCount;

	private Instant lastPolledAt;

	private Instant lastSuccessAt;

	private Instant nextPollAt;

	private int consecutiveFailures;

	private Instant lastErrorAt;

	private Integer lastErrorHttpStatus;

	private String lastErrorType;

	private String lastErrorMessage;

	private String lastErrorRequestId;

	TrackedSessionResponse toResponse() {
		LastError lastError = (this.lastErrorAt != null) ? new LastError(this.lastErrorAt, this.lastErrorHttpStatus,
				this.lastErrorType, this.lastErrorMessage, this.lastErrorRequestId) : null;
		return new TrackedSessionResponse(this.sessionId, this.state, this.trackedAt, this.cursor, this.eventCount,
				this.quarantinedCount, this.lastPolledAt, this.lastSuccessAt, this.nextPollAt, this.consecutiveFailures,
				lastError, null);
	}

	String sessionId() {
		return this.sessionId;
	}

	/** The last failure of a tracked session. */
	record LastError(Instant at, Integer httpStatus, String type, String message, String requestId) {
	}

}
