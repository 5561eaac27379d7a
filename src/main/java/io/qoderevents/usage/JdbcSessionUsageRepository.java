package io.qoderevents.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.qoderevents.web.TimeRange;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One session's usage report, read from its turns' kept counters, or within a time range
 * from its {@code turn_usage} rows, and the upstream's snapshot of the session; never
 * from raw events. {@code counts_turn} marks the usage row that completed a turn.
 */
@Repository
class JdbcSessionUsageRepository {

	/**
	 * When the session's events in the range start and end, with its last read snapshot
	 * (if any).
	 */
	private static final String SESSION_SPAN = """
			select e.first_event_at, e.last_event_at, s.model, s.total_credits, s.read_at
			from (select min(event_time) as first_event_at, max(event_time) as last_event_at
			      from event
			      where session_id = :sessionId and event_time >= :since and event_time < :until) e
			left join session_snapshot s on s.session_id = :sessionId and s.read_at is not null
			""";

	/**
	 * A session's turns with their counters, in the order of their last usage rows; an
	 * idle event outside any turn is a turn of its own, and model calls before the first
	 * turn one group without id.
	 */
	private static final String SESSION_TURNS = """
			select turn_id, %s, pauses, started_at, completed_at, stop_reason, completions, position
			from turn
			where session_id = :sessionId and position is not null
			union all
			select null::text, %s, coalesce(sum(pauses), 0), null::timestamptz,
			       max(completed_at) filter (where counts_turn), max(stop_reason) filter (where counts_turn),
			       count(*) filter (where counts_turn), max(sequence)
			from turn_usage
			where session_id = :sessionId and turn_id is null
			group by case when counts_turn or pauses > 0 then event_id end
			order by position
			""".formatted(UsageCounters.COLUMN_LIST, UsageCounters.SUMS);

	/**
	 * A session's turns in a time range: its usage rows in the range grouped by turn, the
	 * same way.
	 */
	private static final String SESSION_TURNS_IN_RANGE = """
			select u.turn_id, %s, coalesce(sum(u.pauses), 0) as pauses, t.started_at,
			       coalesce(t.completed_at, max(u.completed_at) filter (where u.counts_turn)) as completed_at,
			       coalesce(t.stop_reason, max(u.stop_reason) filter (where u.counts_turn)) as stop_reason,
			       count(*) filter (where u.counts_turn) as completions, max(u.sequence) as position
			from turn_usage u
			left join turn t on t.session_id = u.session_id and t.turn_id = u.turn_id
			where u.session_id = :sessionId and u.completed_at >= :since and u.completed_at < :until
			group by coalesce(u.turn_id, case when u.counts_turn or u.pauses > 0 then u.event_id end), u.turn_id,
			         t.started_at, t.completed_at, t.stop_reason
			order by max(u.sequence)
			""".formatted(UsageCounters.sumsOf("u"));

	/**
	 * A session's usage rows in the range, each priced at its time: what its turns' costs
	 * add up.
	 */
	private static final String PRICED_ROWS = """
			with chosen as (
			    select u.completed_at as at, u.sequence, u.turn_id, u.event_id, u.counts_turn, u.pauses, s.model, %s
			    from turn_usage u
			    left join session_snapshot s using (session_id)
			    %s
			    where u.session_id = :sessionId and u.completed_at >= :since and u.completed_at < :until)
			""".formatted(CostSql.unitCost("u"), CostSql.prices("u.completed_at", "s.model"));

	/**
	 * The cost of each turn, keyed by its position (the sequence of its last usage row),
	 * grouped as the turns are.
	 */
	private static final String TURN_COSTS = PRICED_ROWS + """
			select max(sequence) as position, %s
			from chosen
			group by coalesce(turn_id, case when counts_turn or pauses > 0 then event_id end)
			""".formatted(CostSql.GROUP_COST);

	private final JdbcClient jdbc;

	JdbcSessionUsageRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * When the session's stored events in the range start and end, and the upstream's
	 * last snapshot of the session, if it was read.
	 */
	Span span(String sessionId, TimeRange range) {
		return this.jdbc.sql(SESSION_SPAN)
			.params(UsageSql.bounds(range))
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> {
				Instant readAt = UsageSql.instant(rs, "read_at");
				return new Span(UsageSql.instant(rs, "first_event_at"), UsageSql.instant(rs, "last_event_at"),
						(readAt != null)
								? new Snapshot(rs.getString("model"), rs.getBigDecimal("total_credits"), readAt)
								: null);
			})
			.single();
	}

	/**
	 * The session's turns, in order of completion, with how many completed: the usage
	 * rows in the range.
	 */
	List<CountedTurn> turns(String sessionId, TimeRange range) {
		return this.jdbc.sql(UsageSql.bounded(range) ? SESSION_TURNS_IN_RANGE : SESSION_TURNS)
			.params(UsageSql.bounds(range))
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> new CountedTurn(new TurnUsage(rs.getString("turn_id"), UsageCounters.read(rs), null,
					rs.getLong("pauses"), rs.getString("stop_reason"), UsageSql.instant(rs, "started_at"),
					UsageSql.instant(rs, "completed_at")), rs.getLong("completions"), rs.getLong("position")))
			.list();
	}

	/** Each turn's cost in the range by the position of its last usage row. */
	Map<Long, BigDecimal> turnCosts(String sessionId, TimeRange range) {
		Map<Long, BigDecimal> costs = new HashMap<>();
		this.jdbc.sql(TURN_COSTS)
			.params(UsageSql.bounds(range))
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> new TurnCost(rs.getLong("position"), rs.getBigDecimal("cost")))
			.list()
			.forEach((turn) -> costs.put(turn.position(), turn.cost()));
		return costs;
	}

	/** The session's usage in the range with no price in effect. */
	List<Unpriced> unpriced(String sessionId, TimeRange range) {
		return this.jdbc.sql(PRICED_ROWS + CostSql.UNPRICED)
			.params(UsageSql.bounds(range))
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> new Unpriced(rs.getString("kind"), rs.getString("model"),
					UsageSql.instant(rs, "first_at"), UsageSql.instant(rs, "until_at")))
			.list();
	}

	/**
	 * The event times of a session's first and last stored events (null without events),
	 * and its last read snapshot (null before the first read).
	 */
	record Span(Instant firstEventAt, Instant lastEventAt, Snapshot snapshot) {
	}

	/** The upstream's session snapshot as the usage reports use it. */
	record Snapshot(String model, BigDecimal totalCredits, Instant readAt) {
	}

	/**
	 * A turn's usage, how many times it completed (0 while open, else 1), and the
	 * sequence of its last usage row.
	 */
	record CountedTurn(TurnUsage usage, long completions, long position) {
	}

	/** The cost of the turn whose last usage row has this sequence. */
	private record TurnCost(long position, BigDecimal cost) {
	}

}
