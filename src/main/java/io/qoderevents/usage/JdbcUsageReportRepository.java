package io.qoderevents.usage;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.qoderevents.usage.UsageGrouping.Attribute;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Usage reports grouped by an attribute of the sessions, by time bucket, or both, with
 * their cost: read from each session's 15-minute buckets {@code session_usage_bucket}
 * (the whole quarter hours of the window) and the usage rows {@code turn_usage} (only the
 * window's cut edges), the sessions' latest snapshots (model and attribution) and the
 * prices in effect at each unit's time; never from raw events. A statement is the units
 * of the window, the units {@code chosen} by the filters with their cost, and one report
 * over them, all concatenated from constants.
 */
@Repository
class JdbcUsageReportRepository {

	private static final String UNITS = """
			with unit as (
			    select b.session_id, b.bucket as at, %1$s, b.turns
			    from session_usage_bucket b
			    where b.bucket >= :wholeSince and b.bucket < :wholeUntil %3$s
			    union all
			    select r.session_id, r.completed_at, %2$s, case when r.counts_turn then 1 else 0 end
			    from turn_usage r
			    where ((r.completed_at >= :firstEdgeSince and r.completed_at < :firstEdgeUntil)
			        or (r.completed_at >= :lastEdgeSince and r.completed_at < :lastEdgeUntil)) %4$s)
			""";

	/** The units of all sessions in the window. */
	private static final String ALL_UNITS = UNITS.formatted(qualified("b"), qualified("r"), "", "");

	/** The units of the listed sessions in the window (their index serves them). */
	private static final String UNITS_OF_SESSIONS = UNITS.formatted(qualified("b"), qualified("r"),
			"and b.session_id in (:sessionIds)", "and r.session_id in (:sessionIds)");

	/**
	 * The units the attribution filters keep, with their session's latest snapshot and
	 * their cost.
	 */
	private static final String CHOSEN = """
			, chosen as (
			    select u.*, s.model, s.agent_id, s.environment_id, s.metadata, %s
			    from unit u
			    left join session_snapshot s using (session_id)
			    %s
			    where (cast(:agentId as text) is null or s.agent_id = :agentId)
			      and (cast(:environmentId as text) is null or s.environment_id = :environmentId)
			      and (cast(:metadata as jsonb) = jsonb '{}'
			           or not exists (select 1 from jsonb_each_text(cast(:metadata as jsonb)) f
			                          where s.metadata ->> f.key is distinct from f.value)))
			""".formatted(CostSql.unitCost("u"), CostSql.prices("u.at", "s.model"));

	private static final String REPORT_HEAD = """
			select bucket, key, %s, coalesce(sum(turns), 0) as turns, %s
			from (select
			""".formatted(UsageCounters.SUMS, CostSql.GROUP_COST);

	private static final String NO_BUCKET = "timestamptz '-infinity' as bucket, ";

	private static final String BUCKET = "date_trunc(:unit, at, :tz) as bucket, ";

	private static final Map<Attribute, String> KEYS = Map.of(Attribute.SESSION, "session_id as key, ", Attribute.MODEL,
			"coalesce(model, 'unknown') as key, ", Attribute.AGENT, "agent_id as key, ", Attribute.ENVIRONMENT,
			"environment_id as key, ", Attribute.METADATA, "metadata ->> :metadataKey as key, ");

	private static final String NO_KEY = "cast(null as text) as key, ";

	/** Groups after the cursor's (bucket, key), null keys last. */
	private static final String REPORT_TAIL = """
			chosen.* from chosen) k
			where :first or k.bucket > :afterBucket
			   or (k.bucket = :afterBucket and not :afterNull and (k.key is null or k.key > cast(:afterKey as text)))
			group by bucket, key
			order by bucket, key nulls last
			limit :limit
			""";

	/**
	 * Session rows with what the upstream billed, unless the window cuts the session's
	 * usage: the snapshot is all-time and cannot be split.
	 */
	private static final String BILLED_HEAD = """
			select g.*, case when su.first_completed_at >= :since and su.last_completed_at < :until
			                 then s.total_credits end as billed_credits
			from (
			""";

	private static final String BILLED_TAIL = """
			) g
			left join session_usage su on su.session_id = g.key
			left join session_snapshot s on s.session_id = g.key
			order by g.key
			""";

	private static final String TOTALS = """
			select %s, coalesce(sum(turns), 0) as turns, %s
			from chosen
			""".formatted(UsageCounters.SUMS, CostSql.GROUP_COST);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	JdbcUsageReportRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code limit} groups after {@code after} (null for the first page), by bucket
	 * and then key, null keys last.
	 */
	List<Group> groups(UsageFilter filter, Group.Key after, int limit) {
		UsageGrouping grouping = filter.grouping();
		String report = REPORT_HEAD + (grouping.bucketed() ? BUCKET : NO_BUCKET)
				+ ((grouping.attribute() != null) ? KEYS.get(grouping.attribute()) : NO_KEY) + REPORT_TAIL;
		if (grouping.bySessionOnly()) {
			report = BILLED_HEAD + report + BILLED_TAIL;
		}
		Map<String, Object> params = parameters(filter);
		params.put("unit", grouping.bucketed() ? grouping.bucket().parameter() : "day");
		params.put("tz", filter.zone().getId());
		params.put("metadataKey", (grouping.metadataKey() != null) ? grouping.metadataKey() : "");
		params.put("first", after == null);
		params.put("afterBucket", UsageSql.after((after != null) ? after.bucket() : null));
		params.put("afterNull", after != null && after.key() == null);
		params.put("afterKey", (after != null) ? after.key() : null);
		params.put("limit", limit);
		boolean billed = grouping.bySessionOnly();
		return this.jdbc.sql(source(filter) + report).params(params).query((rs, rowNum) -> {
			Instant bucket = grouping.bucketed() ? UsageSql.instant(rs, "bucket") : null;
			UsageRow row = UsageRow.of(rs.getString("key"), UsageCounters.read(rs), rs.getLong("turns"),
					rs.getBigDecimal("cost"));
			return new Group(new Group.Key(bucket, row.key()),
					billed ? row.ofSession(rs.getBigDecimal("billed_credits")) : row);
		}).list();
	}

	/** The counters and cost over every unit the filter selects. */
	UsageTotals totals(UsageFilter filter) {
		return this.jdbc.sql(source(filter) + TOTALS)
			.params(parameters(filter))
			.query((rs, rowNum) -> new UsageTotals(UsageCounters.read(rs), rs.getLong("turns"),
					rs.getBigDecimal("cost")))
			.single();
	}

	/** The usage the filter selects that has no price in effect. */
	List<Unpriced> unpriced(UsageFilter filter) {
		return this.jdbc.sql(source(filter) + CostSql.UNPRICED)
			.params(parameters(filter))
			.query((rs, rowNum) -> new Unpriced(rs.getString("kind"), rs.getString("model"),
					UsageSql.instant(rs, "first_at"), UsageSql.instant(rs, "until_at")))
			.list();
	}

	private static String source(UsageFilter filter) {
		return (filter.sessionIds().isEmpty() ? ALL_UNITS : UNITS_OF_SESSIONS) + CHOSEN;
	}

	private static Map<String, Object> parameters(UsageFilter filter) {
		Map<String, Object> params = new HashMap<>(UsageWindow.of(filter.range()).parameters());
		params.put("sessionIds", filter.sessionIds().isEmpty() ? List.of("") : filter.sessionIds());
		params.put("agentId", filter.agentId());
		params.put("environmentId", filter.environmentId());
		params.put("metadata", JSON.writeValueAsString(filter.metadata()));
		return params;
	}

	/** The counter columns of {@code alias} in a select list. */
	private static String qualified(String alias) {
		return UsageCounters.COLUMNS.stream().map((column) -> alias + "." + column).collect(Collectors.joining(", "));
	}

	/** A report's row with its sort key. */
	record Group(Key key, UsageRow row) {

		/** Where a group sorts: its bucket's start (null without buckets) and key. */
		record Key(Instant bucket, String key) {
		}

	}

}
