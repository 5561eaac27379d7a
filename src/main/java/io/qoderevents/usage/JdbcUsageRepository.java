package io.qoderevents.usage;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.qoderevents.web.TimeRange;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Usage reports, read only from {@code turn_usage} (one row per event that adds to usage,
 * written with the event), {@code turn}, the 15-minute rollup {@code usage_rollup} and
 * the upstream's session snapshots, never from raw events. {@code counts_turn} marks the
 * event that completed a turn, so turns are counted with {@code count(*)}.
 */
@Repository
class JdbcUsageRepository {

	/** When the session's events start and end, with its last read snapshot (if any). */
	private static final String SESSION_SPAN = """
			select e.first_event_at, e.last_event_at, s.model, s.total_credits, s.read_at
			from (select min(event_time) as first_event_at, max(event_time) as last_event_at
			      from event
			      where session_id = :sessionId and %s) e
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
	 * Each session's totals with its model, as its snapshot names it, and what the
	 * upstream billed; {@code %s} selects the sessions.
	 */
	private static final String SESSION_TOTALS = """
			select u.session_id, %s, u.turns as completions, coalesce(s.model, 'unknown') as model,
			       s.total_credits
			from session_usage u left join session_snapshot s using (session_id)
			where %%s""".formatted(qualified(UsageCounters.COLUMN_LIST, "u"));

	/**
	 * The usage rows in a time range of the sessions it cuts ({@code %s} selects the
	 * sessions, then the rows).
	 */
	private static final String CUT_SESSION_ROWS = """
			select r.session_id, %s, case when r.counts_turn then 1 else 0 end, coalesce(s.model, 'unknown'),
			       s.total_credits
			from session_usage u join turn_usage r using (session_id) left join session_snapshot s using (session_id)
			where %%s and %%s""".formatted(qualified(UsageCounters.COLUMN_LIST, "r"));

	/**
	 * The sessions' totals without a time range; with one, the totals of the sessions
	 * whose usage lies inside it and the usage rows in it of the sessions it cuts.
	 */
	private static final String SESSIONS_IN_RANGE = "(%s union all %s) u";

	/**
	 * A session's turns in a time window: its usage rows in the window grouped by turn,
	 * the same way.
	 */
	private static final String SESSION_TURNS_IN_RANGE = """
			select u.turn_id, %s, coalesce(sum(u.pauses), 0) as pauses, t.started_at,
			       coalesce(t.completed_at, max(u.completed_at) filter (where u.counts_turn)) as completed_at,
			       coalesce(t.stop_reason, max(u.stop_reason) filter (where u.counts_turn)) as stop_reason,
			       count(*) filter (where u.counts_turn) as completions
			from turn_usage u
			left join turn t on t.session_id = u.session_id and t.turn_id = u.turn_id
			where u.session_id = :sessionId and %%s
			group by coalesce(u.turn_id, case when u.counts_turn or u.pauses > 0 then u.event_id end), u.turn_id,
			         t.started_at, t.completed_at, t.stop_reason
			order by max(u.sequence)
			""".formatted(UsageCounters.sumsOf("u"));

	private static final String BY_SESSION = """
			select session_id as key, %s, sum(completions) as turns, max(total_credits) as billed_credits
			from %%s
			where %%s
			group by session_id
			order by session_id
			limit :limit
			""".formatted(UsageCounters.SUMS);

	/** Usage with the model of its session, as its snapshot names it. */
	private static final String BY_MODEL = """
			select model as key, %s, sum(completions) as turns
			from %%s
			where %%s
			group by model
			order by model
			limit :limit
			""".formatted(UsageCounters.SUMS);

	private static final String BY_BUCKET = """
			select bucket, %s, count(*) filter (where counts_turn) as turns
			from (select date_trunc(:unit, completed_at, :tz) as bucket, %s, counts_turn
			      from turn_usage
			      where %%s) u
			where %%s
			group by bucket
			order by bucket
			limit :limit
			""".formatted(UsageCounters.SUMS, UsageCounters.COLUMN_LIST);

	private static final String TOTALS = """
			select %s, coalesce(sum(completions), 0) as turns
			from %%s
			where %%s
			""".formatted(UsageCounters.SUMS);

	/**
	 * The rollup seen as usage rows: a bucket's start stands for {@code completed_at}, so
	 * the same conditions select from both.
	 */
	private static final String ROLLUP_ROWS = """
			(select bucket as completed_at, %s, turns from usage_rollup) rollup""".formatted(UsageCounters.COLUMN_LIST);

	/** Day and hour buckets of all sessions, added up from the 15-minute rollup. */
	private static final String ROLLUP_BY_BUCKET = """
			select bucket, %s, sum(turns) as turns
			from (select date_trunc(:unit, completed_at, :tz) as bucket, %s, turns
			      from %s
			      where %%s) u
			where %%s
			group by bucket
			order by bucket
			limit :limit
			""".formatted(UsageCounters.SUMS, UsageCounters.COLUMN_LIST, ROLLUP_ROWS);

	private static final String ROLLUP_TOTALS = """
			select %s, coalesce(sum(turns), 0) as turns
			from %s
			where %%s
			""".formatted(UsageCounters.SUMS, ROLLUP_ROWS);

	private static final String OF_SESSIONS = "session_id in (:sessionIds)";

	private static final String AFTER_KEY = "%s > :after";

	/**
	 * Every row of a later bucket completed after the previous bucket's start: lets the
	 * index skip earlier rows.
	 */
	private static final String COMPLETED_AFTER = "completed_at > :after";

	private static final String AFTER_BUCKET = "bucket > :after";

	private static final String ALL = "true";

	private final JdbcClient jdbc;

	JdbcUsageRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * When the session's stored events in the range start and end, and the upstream's
	 * last snapshot of the session, if it was read.
	 */
	Span span(String sessionId, TimeRange range) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = new ArrayList<>();
		range.addConditions("event_time", conditions, params);
		return this.jdbc.sql(SESSION_SPAN.formatted(where(conditions)))
			.params(params)
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> {
				Instant readAt = instant(rs, "read_at");
				return new Span(instant(rs, "first_event_at"), instant(rs, "last_event_at"), (readAt != null)
						? new Snapshot(rs.getString("model"), rs.getBigDecimal("total_credits"), readAt) : null);
			})
			.single();
	}

	/**
	 * The session's turns, in order of completion, with how many completed: the usage
	 * rows in the range.
	 */
	List<CountedTurn> turns(String sessionId, TimeRange range) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = new ArrayList<>();
		range.addConditions("u.completed_at", conditions, params);
		String sql = conditions.isEmpty() ? SESSION_TURNS : SESSION_TURNS_IN_RANGE.formatted(where(conditions));
		return this.jdbc.sql(sql)
			.params(params)
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> new CountedTurn(
					new TurnUsage(rs.getString("turn_id"), UsageCounters.read(rs), rs.getLong("pauses"),
							rs.getString("stop_reason"), instant(rs, "started_at"), instant(rs, "completed_at")),
					rs.getLong("completions")))
			.list();
	}

	/**
	 * Up to {@code limit} sessions or models after {@code after} (null for the first), by
	 * key.
	 */
	List<UsageRow> byKey(UsageFilter filter, String after, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = sessionConditions(filter, params);
		boolean bySession = filter.grouping() == UsageGrouping.SESSION;
		if (after != null) {
			conditions.add(AFTER_KEY.formatted(bySession ? "session_id" : "model"));
			params.put("after", after);
		}
		return this.jdbc.sql((bySession ? BY_SESSION : BY_MODEL).formatted(sessions(filter, params), where(conditions)))
			.params(params)
			.param("limit", limit)
			.query((rs, rowNum) -> bySession
					? row(rs, rs.getString("key"), rs.getBigDecimal("billed_credits")).ofSession()
					: row(rs, rs.getString("key"), null))
			.list();
	}

	/**
	 * Up to {@code limit} buckets starting after {@code after} (null for the first), cut
	 * in the filter's zone, in time order. The rows' keys are left for the caller to
	 * format.
	 */
	List<Bucket> byBucket(UsageFilter filter, Instant after, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = conditions(filter, params);
		List<String> outer = new ArrayList<>();
		if (after != null) {
			conditions.add(COMPLETED_AFTER);
			outer.add(AFTER_BUCKET);
			params.put("after", OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
		}
		return this.jdbc
			.sql((fitsRollup(filter) ? ROLLUP_BY_BUCKET : BY_BUCKET).formatted(where(conditions), where(outer)))
			.params(params)
			.param("unit", filter.grouping().parameter())
			.param("tz", filter.zone().getId())
			.param("limit", limit)
			.query((rs, rowNum) -> new Bucket(instant(rs, "bucket"), row(rs, null, null)))
			.list();
	}

	/** The counters over every usage row the filter selects. */
	UsageRow totals(UsageFilter filter) {
		Map<String, Object> params = new LinkedHashMap<>();
		String sql = fitsRollup(filter) ? ROLLUP_TOTALS.formatted(where(conditions(filter, params)))
				: TOTALS.formatted(sessions(filter, params), where(sessionConditions(filter, params)));
		return this.jdbc.sql(sql).params(params).query((rs, rowNum) -> row(rs, null, null)).single();
	}

	/**
	 * The sessions' kept totals, and where the filter's time range cuts a session, its
	 * usage rows in the range.
	 */
	private static String sessions(UsageFilter filter, Map<String, Object> params) {
		TimeRange range = filter.range();
		List<String> inside = new ArrayList<>();
		List<String> cut = new ArrayList<>();
		if (range.since() != null) {
			inside.add("u.first_completed_at >= :since");
			cut.add("u.last_completed_at >= :since");
			params.put("since", range.since());
		}
		if (range.until() != null) {
			inside.add("u.last_completed_at < :until");
			cut.add("u.first_completed_at < :until");
			params.put("until", range.until());
		}
		if (inside.isEmpty()) {
			return "(" + SESSION_TOTALS.formatted(ALL) + ") u";
		}
		cut.add("not (" + where(inside) + ")");
		List<String> rows = new ArrayList<>();
		range.addConditions("r.completed_at", rows, params);
		return SESSIONS_IN_RANGE.formatted(SESSION_TOTALS.formatted(where(inside)),
				CUT_SESSION_ROWS.formatted(where(cut), where(rows)));
	}

	private static List<String> sessionConditions(UsageFilter filter, Map<String, Object> params) {
		List<String> conditions = new ArrayList<>();
		if (!filter.sessionIds().isEmpty()) {
			conditions.add(OF_SESSIONS);
			params.put("sessionIds", filter.sessionIds());
		}
		return conditions;
	}

	/**
	 * Whether the rollup answers the filter exactly: all sessions, and a time range cut
	 * on quarter hours. Other filters read the (indexed) usage rows.
	 */
	private static boolean fitsRollup(UsageFilter filter) {
		return filter.sessionIds().isEmpty() && quarterHour(filter.range().since())
				&& quarterHour(filter.range().until());
	}

	private static boolean quarterHour(OffsetDateTime at) {
		return at == null || (at.getMinute() % 15 == 0 && at.getSecond() == 0 && at.getNano() == 0);
	}

	private static List<String> conditions(UsageFilter filter, Map<String, Object> params) {
		List<String> conditions = new ArrayList<>();
		filter.range().addConditions("completed_at", conditions, params);
		conditions.addAll(sessionConditions(filter, params));
		return conditions;
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? ALL : String.join(" and ", conditions);
	}

	/** The counter columns of {@code alias} in a select list. */
	private static String qualified(String columns, String alias) {
		return Arrays.stream(columns.split(", "))
			.map((column) -> alias + "." + column)
			.collect(Collectors.joining(", "));
	}

	private static UsageRow row(ResultSet rs, String key, BigDecimal billedCredits) throws SQLException {
		return new UsageRow(key, UsageCounters.read(rs), rs.getLong("turns"), billedCredits);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
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

	/** A turn's usage, and how many times it completed (0 while open, else 1). */
	record CountedTurn(TurnUsage usage, long completions) {
	}

	/** A day or hour bucket: its start and its counters. */
	record Bucket(Instant start, UsageRow usage) {
	}

}
