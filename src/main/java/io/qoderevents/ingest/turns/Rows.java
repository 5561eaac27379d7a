package io.qoderevents.ingest.turns;

import java.time.OffsetDateTime;

import io.qoderevents.usage.UsageCounters;

/** The rows one page writes, in the shapes of their tables. */
public final class Rows {

	private Rows() {
	}

	public record EventRow(String id, String sessionId, long sequence, String type, String turnId,
			String sessionThreadId, OffsetDateTime eventTime, byte[] payload) {

		EventRow inTurn(String turn) {
			return new EventRow(this.id, this.sessionId, this.sequence, this.type, turn, this.sessionThreadId,
					this.eventTime, this.payload);
		}

	}

	/**
	 * What one event adds to usage.
	 *
	 * @param completedAt the event's time (for an idle event, when its turn stopped)
	 * @param pauses 1 for a {@code requires_action} idle event
	 * @param countsTurn whether this event completes its turn (counted in {@code turns})
	 * @param spanTokens whether the tokens come from a model span whose turn has no idle
	 * usage (yet)
	 */
	public record UsageRow(String eventId, String sessionId, String turnId, long sequence, OffsetDateTime completedAt,
			UsageCounters counters, int pauses, String stopReason, boolean countsTurn, boolean spanTokens) {

		/** The row that completes its turn (an event of another turn ended it). */
		UsageRow countingTurn() {
			return new UsageRow(this.eventId, this.sessionId, this.turnId, this.sequence, this.completedAt,
					this.counters, this.pauses, this.stopReason, true, this.spanTokens);
		}

		UsageRow withoutTokens() {
			return new UsageRow(this.eventId, this.sessionId, this.turnId, this.sequence, this.completedAt,
					this.counters.withoutTokens(), this.pauses, this.stopReason, this.countsTurn, false);
		}

	}

	/**
	 * A change to the 15-minute rollup: counters and completed turns added to a bucket.
	 */
	public record RollupRow(OffsetDateTime bucket, UsageCounters counters, long turns) {
	}

	/**
	 * A turn as far as the session has been read.
	 *
	 * @param turnId the upstream {@code turn_id}, or the id of the opening
	 * {@code user.message}
	 * @param openedSequence the sequence of its first event
	 * @param startedAt the event time of its first event
	 * @param completedAt the time of the idle (or terminal) event that last ended it, or
	 * of its last event when an event of another turn ended it; null while open
	 * @param stopReason the stop reason of that event
	 * @param idleUsage whether an idle event of the turn carried {@code usage}
	 * @param spanTokens whether stored span rows of the turn count tokens
	 * @param paused whether a {@code requires_action} idle paused the turn (read from its
	 * pause counter, which the usage writes keep)
	 */
	public record TurnRow(String sessionId, String turnId, long openedSequence, OffsetDateTime startedAt,
			OffsetDateTime completedAt, String stopReason, boolean idleUsage, boolean spanTokens, boolean paused) {
	}

	/**
	 * Where a session's turns stand after its last stored event.
	 *
	 * @param openTurnId the turn later events belong to, or null between turns
	 * @param pendingFrom the sequence of the first of the trailing
	 * {@code session.status_running} events that wait for their {@code user.message}, or
	 * null
	 * @param lastEventTime the event time of the last stored event, or null
	 */
	public record TurnState(String openTurnId, Long pendingFrom, OffsetDateTime lastEventTime) {

		/** A session with no stored events. */
		public static final TurnState EMPTY = new TurnState(null, null, null);

	}

	/**
	 * Events stored on earlier pages with sequences from {@code from} (inclusive) to
	 * {@code to} (exclusive) that belong to a turn opened on this page.
	 */
	public record Reassignment(String sessionId, long from, long to, String turnId) {
	}

	public record ErrorRow(String eventId, String sessionId, String turnId, OffsetDateTime createdAt, String errorType,
			String message, String messagePattern, String detailsName, String detailsMessage, String retryStatus) {
	}

	public record QuarantineRow(String sessionId, String eventId, String reason, String raw, String fingerprint) {
	}

}
