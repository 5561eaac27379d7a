package io.qoderevents.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Token usage reports, read only from {@code turn_usage} (one row per
 * {@code session.status_idle} event, written with the event) and its 15-minute rollup
 * {@code usage_rollup}, never from raw events. A turn counts once however many idle
 * events it has ({@code counts_turn} marks its first).
 */
@Repository
class JdbcUsageRepository {

	private static final String SESSION_SPAN = """
			select min(event_time) as first_event_at, max(event_time) as last_event_at
			from event
			where session_id = :sessionId
			""";

	private static final String SESSION_TURNS = """
			select u.turn_id, sum(u.input_tokens) as input_tokens, sum(u.output_tokens) as output_tokens,
			       sum(u.cache_read_input_tokens) as cache_read_input_tokens,
			       sum(u.cache_creation_input_tokens) as cache_creation_input_tokens,
			       (array_agg(u.stop_reason order by u.sequence desc))[1] as stop_reason,
			       (array_agg(u.completed_at order by u.sequence desc))[1] as completed_at
			from turn_usage u
			where u.session_id = :sessionId
			group by coalesce(u.turn_id, u.event_id), u.turn_id
			order by max(u.sequence)
			""";

	private static final String BY_SESSION = """
			select session_id as key, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
			       sum(cache_read_input_tokens) as cache_read_input_tokens,
			       sum(cache_creation_input_tokens) as cache_creation_input_tokens,
			       count(*) filter (where counts_turn) as turns
			from turn_usage
			where %s
			group by session_id
			order by session_id
			limit :limit
			""";

	private static final String BY_BUCKET = """
			select bucket, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
			       sum(cache_read_input_tokens) as cache_read_input_tokens,
			       sum(cache_creation_input_tokens) as cache_creation_input_tokens,
			       count(*) filter (where counts_turn) as turns
			from (select date_trunc(:unit, completed_at, :tz) as bucket, input_tokens, output_tokens,
			             cache_read_input_tokens, cache_creation_input_tokens, counts_turn
			      from turn_usage
			      where %s) u
			where %s
			group by bucket
			order by bucket
			limit :limit
			""";

	private static final String TOTALS = """
			select null as key, coalesce(sum(input_tokens), 0) as input_tokens,
			       coalesce(sum(output_tokens), 0) as output_tokens,
			       coalesce(sum(cache_read_input_tokens), 0) as cache_read_input_tokens,
			       coalesce(sum(cache_creation_input_tokens), 0) as cache_creation_input_tokens,
			       count(*) filter (where counts_turn) as turns
			from turn_usage
			where %s
			""";

	/**
	 * The rollup seen as usage rows: a bucket's start stands for {@code completed_at}, so
	 * the same conditions select from both.
	 */
	private static final String ROLLUP_ROWS = """
			(select bucket as completed_at, input_tokens, output_tokens, cache_read_input_tokens,
			        cache_creation_input_tokens, turns
			 from usage_rollup) rollup""";

	/** Day and hour buckets of all sessions, added up from the 15-minute rollup. */
	private static final String ROLLUP_BY_BUCKET = """
			select bucket, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
			       sum(cache_read_input_tokens) as cache_read_input_tokens,
			       sum(cache_creation_input_tokens) as cache_creation_input_tokens, sum(turns) as turns
			from (select date_trunc(:unit, completed_at, :tz) as bucket, input_tokens, output_tokens,
			             cache_read_input_tokens, cache_creation_input_tokens, turns
			      from %s
			      where %%s) u
			where %%s
			group by bucket
			order by bucket
			limit :limit
			""".formatted(ROLLUP_ROWS);

	private static final String ROLLUP_TOTALS = """
			select null as key, coalesce(sum(input_tokens), 0) as input_tokens,
			       coalesce(sum(output_tokens), 0) as output_tokens,
			       coalesce(sum(cache_read_input_tokens), 0) as cache_read_input_tokens,
			       coalesce(sum(cache_creation_input_tokens), 0) as cache_creation_input_tokens,
			       coalesce(sum(turns), 0) as turns
			from %s
			where %%s
			""".formatted(ROLLUP_ROWS);

	private static final String OF_SESSIONS = "session_id in (:sessionIds)";

	private static final String AFTER_SESSION = "session_id > :after";

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
	 * When the session's stored events start and end.
	 */
	Span span(String sessionId) {
		return this.jdbc.sql(SESSION_SPAN)
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> new Span(instant(rs, "first_event_at"), instant(rs, "last_event_at")))
			.single();
	}

	/** The session's turns, in order of completion. */
	List<TurnUsage> turns(String sessionId) {
		return this.jdbc.sql(SESSION_TURNS)
			.param("sessionId", sessionId)
			.query((rs, rowNum) -> TurnUsage.of(rs.getString("turn_id"), rs.getLong("input_tokens"),
					rs.getLong("output_tokens"), rs.getLong("cache_read_input_tokens"),
					rs.getLong("cache_creation_input_tokens"), rs.getString("stop_reason"),
					instant(rs, "completed_at")))
			.list();
	}

	/**
	 * Up to {@code limit} sessions after {@code after} (null for the first), by session
	 * id.
	 */
	List<UsageRow> bySession(UsageFilter filter, String after, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = conditions(filter, params);
		if (after != null) {
			conditions.add(AFTER_SESSION);
			params.put("after", after);
		}
		return this.jdbc.sql(BY_SESSION.formatted(where(conditions)))
			.params(params)
			.param("limit", limit)
			.query((rs, rowNum) -> row(rs, rs.getString("key")))
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
			.query((rs, rowNum) -> new Bucket(instant(rs, "bucket"), row(rs, null)))
			.list();
	}

	/** The counters over every turn the filter selects. */
	UsageRow totals(UsageFilter filter) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = conditions(filter, params);
		return this.jdbc.sql((fitsRollup(filter) ? ROLLUP_TOTALS : TOTALS).formatted(where(conditions)))
			.params(params)
			.query((rs, rowNum) -> row(rs, null))
			.single();
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
		if (!filter.sessionIds().isEmpty()) {
			conditions.add(OF_SESSIONS);
			params.put("sessionIds", filter.sessionIds());
		}
		return conditions;
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? ALL : String.join(" and ", conditions);
	}

	private static UsageRow row(ResultSet rs, String key) throws SQLException {
		return UsageRow.of(key, rs.getLong("input_tokens"), rs.getLong("output_tokens"),
				rs.getLong("cache_read_input_tokens"), rs.getLong("cache_creation_input_tokens"), rs.getLong("turns"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * The event times of a session's first and last stored events (null without events).
	 */
	record Span(Instant firstEventAt, Instant lastEventAt) {
	}

	/** A day or hour bucket: its start and its counters. */
	record Bucket(Instant start, UsageRow usage) {
	}

}
