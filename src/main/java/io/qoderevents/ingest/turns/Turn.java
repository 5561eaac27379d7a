package io.qoderevents.ingest.turns;

import java.time.OffsetDateTime;

import io.qoderevents.ingest.turns.Rows.TurnRow;

/** One turn while a page is planned: as stored, and as the page's events change it. */
final class Turn {

	final String id;

	long openedSequence;

	OffsetDateTime startedAt;

	final boolean storedSpanTokens;

	/** Whether the turn was stored before the page. */
	final boolean stored;

	/** The event time of its last event so far, or null. */
	OffsetDateTime lastEventAt;

	boolean paused;

	OffsetDateTime completedAt;

	String stopReason;

	boolean idleUsage;

	boolean spanTokens;

	Turn(String id, long openedSequence, OffsetDateTime startedAt) {
		this.id = id;
		this.openedSequence = openedSequence;
		this.startedAt = startedAt;
		this.storedSpanTokens = false;
		this.stored = false;
	}

	Turn(TurnRow row) {
		this.id = row.turnId();
		this.openedSequence = row.openedSequence();
		this.startedAt = row.startedAt();
		this.completedAt = row.completedAt();
		this.stopReason = row.stopReason();
		this.idleUsage = row.idleUsage();
		this.spanTokens = row.spanTokens();
		this.storedSpanTokens = row.spanTokens();
		this.stored = true;
		this.paused = row.paused();
	}

	/** Ends the turn (again); true the first time, when it counts as a turn. */
	boolean complete(OffsetDateTime at, String reason) {
		boolean first = this.completedAt == null;
		this.completedAt = at;
		this.stopReason = reason;
		return first;
	}

	TurnRow row(String sessionId) {
		return new TurnRow(sessionId, this.id, this.openedSequence, this.startedAt, this.completedAt, this.stopReason,
				this.idleUsage, this.spanTokens, this.paused);
	}

}
