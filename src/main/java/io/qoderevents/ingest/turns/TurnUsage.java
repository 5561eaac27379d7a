package io.qoderevents.ingest.turns;

import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;
import io.qoderevents.usage.UsageCounters;
import tools.jackson.databind.JsonNode;

/**
 * Counts what a page's events add to usage, for the turns {@link Turns} assigns them to:
 * the tokens, pauses and stop reason of idle events, the credits and (while their turn
 * has no idle usage) tokens of model spans, and the turns that idle and terminal events
 * complete, or an event of another turn.
 */
final class TurnUsage {

	/** What a model span's usage row reads. */
	private static final Set<String> SPAN_FIELDS = Set.of("model_usage");

	private final String sessionId;

	private final List<UsageRow> usage;

	private final Set<String> touched;

	private final Set<String> superseded = new LinkedHashSet<>();

	private final Set<String> endedStored = new LinkedHashSet<>();

	/**
	 * Counts into {@code usage}.
	 * @param touched where the ids of the turns counting changes are collected
	 */
	TurnUsage(String sessionId, List<UsageRow> usage, Set<String> touched) {
		this.sessionId = sessionId;
		this.usage = usage;
		this.touched = touched;
	}

	/**
	 * Adds what a stored event adds to usage: idle events, model spans and terminal
	 * events that end a turn.
	 * @param turn the event's turn, or null before the first
	 * @return whether the event ended a turn
	 */
	boolean count(UpstreamEvent event, Turn turn, long sequence, OffsetDateTime at) {
		boolean primary = event.sessionThreadId() == null;
		if (Events.isIdle(event.type()) && primary) {
			return idle(event, turn, sequence, at);
		}
		if (Events.isModelSpan(event.type())) {
			span(event, turn, sequence, at);
			return false;
		}
		if (primary && Events.isTerminal(event.type()) && turn != null) {
			boolean completes = complete(turn, at, event.type());
			this.usage.add(new UsageRow(event.id(), this.sessionId, turn.id, sequence, at, UsageCounters.ZERO, 0,
					event.type(), completes, false));
			return true;
		}
		return false;
	}

	private boolean idle(UpstreamEvent event, Turn turn, long sequence, OffsetDateTime at) {
		JsonNode json = event.fields(Events.IDLE_FIELDS);
		JsonNode usage = json.get("usage");
		String stopReason = EventFields.stopReason(json);
		boolean pause = Events.isPause(stopReason);
		if (turn != null && pause) {
			turn.paused = true;
		}
		if (turn != null && usage != null && usage.isObject() && !turn.idleUsage) {
			turn.idleUsage = true;
			dropSpanTokens(turn);
		}
		boolean ends = Events.endsTurn(event.type(), stopReason);
		boolean completes = ends;
		if (turn != null && ends) {
			completes = complete(turn, at, stopReason);
		}
		this.usage.add(new UsageRow(event.id(), this.sessionId, (turn != null) ? turn.id : null, sequence, at,
				EventFields.tokens(usage), pause ? 1 : 0, stopReason, completes, false));
		return turn != null && ends;
	}

	/**
	 * Completes an open turn that an event of another turn ends: at the time of its last
	 * event, with the stop reason of its pause if it paused, counted once. Its last usage
	 * row counts it: the page's, else (a stored turn) the stored one the page's writes
	 * mark.
	 */
	void endedByNext(Turn turn) {
		if (turn == null || turn.completedAt != null) {
			return;
		}
		complete(turn, (turn.lastEventAt != null) ? turn.lastEventAt : turn.startedAt,
				turn.paused ? Events.REQUIRES_ACTION : null);
		for (int i = this.usage.size() - 1; i >= 0; i--) {
			UsageRow row = this.usage.get(i);
			if (turn.id.equals(row.turnId())) {
				this.usage.set(i, row.countingTurn());
				return;
			}
		}
		if (turn.stored) {
			this.endedStored.add(turn.id);
		}
	}

	private void span(UpstreamEvent event, Turn turn, long sequence, OffsetDateTime at) {
		JsonNode modelUsage = event.fields(SPAN_FIELDS).get("model_usage");
		UsageCounters tokens = EventFields.tokens(modelUsage);
		boolean countTokens = tokens.hasTokens() && (turn == null || !turn.idleUsage);
		UsageCounters counters = new UsageCounters(0, 0, 0, 0, EventFields.credits(modelUsage), 1)
			.plus(countTokens ? tokens : UsageCounters.ZERO);
		if (countTokens && turn != null) {
			turn.spanTokens = true;
			this.touched.add(turn.id);
		}
		this.usage.add(new UsageRow(event.id(), this.sessionId, (turn != null) ? turn.id : null, sequence, at, counters,
				0, null, false, countTokens && turn != null));
	}

	/**
	 * The turn's idle usage wins over its spans' tokens: the page's span rows lose them
	 * here, stored ones when the page is written.
	 */
	private void dropSpanTokens(Turn turn) {
		this.touched.add(turn.id);
		if (turn.storedSpanTokens) {
			this.superseded.add(turn.id);
		}
		turn.spanTokens = false;
		for (int i = 0; i < this.usage.size(); i++) {
			UsageRow row = this.usage.get(i);
			if (row.spanTokens() && turn.id.equals(row.turnId())) {
				this.usage.set(i, row.withoutTokens());
			}
		}
	}

	private boolean complete(Turn turn, OffsetDateTime at, String reason) {
		this.touched.add(turn.id);
		return turn.complete(at, reason);
	}

	/** Turns whose stored span rows must lose their tokens. */
	List<String> superseded() {
		return List.copyOf(this.superseded);
	}

	/**
	 * Stored turns an event of another turn ended whose usage rows are all stored: the
	 * last of them now counts the turn.
	 */
	List<String> endedStored() {
		return List.copyOf(this.endedStored);
	}

}
