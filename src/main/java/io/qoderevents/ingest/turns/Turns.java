package io.qoderevents.ingest.turns;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.qoderevents.ingest.turns.Rows.EventRow;
import io.qoderevents.ingest.turns.Rows.Reassignment;
import io.qoderevents.ingest.turns.Rows.TurnRow;
import io.qoderevents.ingest.turns.Rows.TurnState;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;

/**
 * Follows one session's turns across the events of a page, in list order, starting from
 * the state its earlier pages left.
 * <ul>
 * <li>An event's turn is its upstream {@code turn_id}; without one (today's upstream),
 * the id of the {@code user.message} that opened the turn. {@code session.status_running}
 * events just before that message belong to it.</li>
 * <li>A turn ends at a primary-thread {@code session.status_idle} whose stop reason is
 * anything but {@code requires_action} (a pause inside the turn), at a terminal event, or
 * at a primary-thread event of another turn not completed yet (a new {@code turn_id}):
 * the open turn completes at its last event, counted once, with the stop reason of its
 * pause if it paused. A late event of a completed turn ends none.</li>
 * <li>Thread events belong to the primary turn they occur in and neither open nor end
 * one.</li>
 * <li>Tokens of a turn come from its idle events' {@code usage}; only while it has none,
 * from its spans' {@code model_usage}. Never both.</li>
 * </ul>
 */
public final class Turns {

	private final String sessionId;

	private final Map<String, Turn> turns = new HashMap<>();

	private final Set<String> touched = new LinkedHashSet<>();

	private final List<Reassignment> reassignments = new ArrayList<>();

	private final List<EventRow> events;

	private final TurnUsage counts;

	private String openTurn;

	private Long pendingFrom;

	private int pendingIndex = -1;

	private OffsetDateTime lastEventTime;

	/**
	 * Starts where the session's earlier pages left off.
	 * @param sessionId the session
	 * @param state where the session's turns stood before the page
	 * @param stored the stored turns the page may touch (at least the open one)
	 * @param events where the page's event rows are collected (pending running rows are
	 * rewritten there when their turn opens)
	 * @param usage where the page's usage rows are collected
	 */
	Turns(String sessionId, TurnState state, Map<String, TurnRow> stored, List<EventRow> events, List<UsageRow> usage) {
		this.sessionId = sessionId;
		this.openTurn = state.openTurnId();
		this.pendingFrom = state.pendingFrom();
		this.lastEventTime = state.lastEventTime();
		this.pendingIndex = (this.pendingFrom != null) ? 0 : -1;
		stored.forEach((id, row) -> this.turns.put(id, new Turn(row)));
		if (this.openTurn != null && this.turns.containsKey(this.openTurn)) {
			this.turns.get(this.openTurn).lastEventAt = state.lastEventTime();
		}
		this.events = events;
		this.counts = new TurnUsage(sessionId, usage, this.touched);
	}

	/**
	 * The event time of the next event: its {@code created_at}, else its
	 * {@code processed_at}, else the time of the event before it, else {@code now}.
	 */
	OffsetDateTime eventTime(OffsetDateTime createdAt, OffsetDateTime processedAt, OffsetDateTime now) {
		OffsetDateTime time = (createdAt != null) ? createdAt
				: (processedAt != null) ? processedAt : (this.lastEventTime != null) ? this.lastEventTime : now;
		this.lastEventTime = time;
		return time;
	}

	/**
	 * The turn of the next event (null before the first turn), opening one if due, and
	 * ending the open one if the event belongs to another.
	 */
	String assign(UpstreamEvent event, long sequence, OffsetDateTime at) {
		String turnId = turnOf(event, sequence, at);
		if (turnId != null) {
			this.turns.get(turnId).lastEventAt = at;
		}
		return turnId;
	}

	private String turnOf(UpstreamEvent event, long sequence, OffsetDateTime at) {
		boolean primary = event.sessionThreadId() == null;
		if (event.turnId() != null) {
			Turn turn = open(event.turnId(), sequence, at);
			if (primary && turn.completedAt == null && this.openTurn != null && !this.openTurn.equals(turn.id)) {
				this.counts.endedByNext(this.turns.get(this.openTurn));
				this.openTurn = null;
			}
			if (primary && turn.completedAt == null) {
				this.openTurn = turn.id;
			}
			this.pendingFrom = null;
			return turn.id;
		}
		if (this.openTurn != null) {
			return this.openTurn;
		}
		if (primary && Events.isUserMessage(event.type())) {
			open(event.id(), sequence, at);
			this.openTurn = event.id();
			adoptPending(sequence);
			return this.openTurn;
		}
		if (primary && Events.isRunning(event.type())) {
			if (this.pendingFrom == null) {
				this.pendingFrom = sequence;
				this.pendingIndex = this.events.size();
			}
		}
		else if (primary) {
			this.pendingFrom = null;
			this.pendingIndex = -1;
		}
		return null;
	}

	/**
	 * What a stored event adds to usage, after {@link #assign}: idle events, model spans
	 * and terminal events that end a turn (see {@link TurnUsage}).
	 */
	void count(UpstreamEvent event, String turnId, long sequence, OffsetDateTime at) {
		Turn turn = (turnId != null) ? this.turns.get(turnId) : null;
		if (this.counts.count(event, turn, sequence, at)) {
			this.openTurn = null;
		}
	}

	private Turn open(String turnId, long sequence, OffsetDateTime at) {
		Turn turn = this.turns.computeIfAbsent(turnId, (id) -> new Turn(id, sequence, at));
		this.touched.add(turnId);
		return turn;
	}

	/** The running events waiting before this message join its turn. */
	private void adoptPending(long messageSequence) {
		if (this.pendingFrom == null) {
			return;
		}
		int first = this.pendingIndex;
		for (int i = first; i < this.events.size(); i++) {
			this.events.set(i, this.events.get(i).inTurn(this.openTurn));
		}
		Turn turn = this.turns.get(this.openTurn);
		if (first < this.events.size()) {
			turn.openedSequence = this.events.get(first).sequence();
			turn.startedAt = this.events.get(first).eventTime();
		}
		long storedUntil = (first < this.events.size()) ? this.events.get(first).sequence() : messageSequence;
		if (this.pendingFrom < storedUntil) {
			this.reassignments.add(new Reassignment(this.sessionId, this.pendingFrom, storedUntil, this.openTurn));
		}
		this.pendingFrom = null;
		this.pendingIndex = -1;
	}

	TurnState state() {
		return new TurnState(this.openTurn, this.pendingFrom, this.lastEventTime);
	}

	/** The turns the page opened or changed. */
	List<TurnRow> touched() {
		return this.touched.stream().map(this.turns::get).map((turn) -> turn.row(this.sessionId)).toList();
	}

	/** Turns whose stored span rows must lose their tokens. */
	List<String> superseded() {
		return this.counts.superseded();
	}

	/**
	 * Stored turns an event of another turn ended whose last usage row is stored: it now
	 * counts the turn.
	 */
	List<String> endedStored() {
		return this.counts.endedStored();
	}

	List<Reassignment> reassignments() {
		return List.copyOf(this.reassignments);
	}

	/** The turn ids of a page's events and the open turn: the stored turns to load. */
	public static Set<String> referenced(TurnState state, List<UpstreamEvent> page) {
		Set<String> ids = new LinkedHashSet<>();
		if (state.openTurnId() != null) {
			ids.add(state.openTurnId());
		}
		for (UpstreamEvent event : page) {
			if (event.turnId() != null) {
				ids.add(event.turnId());
			}
		}
		return ids;
	}

}
