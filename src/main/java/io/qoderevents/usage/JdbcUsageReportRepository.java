package io.qoderevents.usage;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

import io.qoderevents.web.TimeRange;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Usage reports grouped by session, model, day or hour, read from the kept session totals
 * {@code session_usage}, the {@code turn_usage} rows (one per event that adds to usage),
 * the 15-minute rollup {@code usage_rollup} and the upstream's session snapshots, never
 * from raw events. A statement is one of the sources below (the table expression
 * {@code counted}, with the counter columns and {@code turns}), the sessions
 * {@code chosen} from it, and one of the reports over them.
 */
@Repository
class JdbcUsageReportRepository {

	/**
	 * Each session's totals with its model, as its snapshot names it, and what the
	 * upstream billed: the source of session and model reports without a time range.
	 */
	private static final String SESSION_TOTALS = """
			with counted as (
			    select u.session_id, %s, u.turns, coalesce(s.model, 'unknown') as model, s.total_credits
			    from session_usage u left join session_snapshot s using (session_id))
			""".formatted(qualified("u"));

	/**
	 * The totals of the sessions whose usage lies inside the time range, and the usage
	 * rows in the range of the sessions it cuts.
	 */
	private static final String SESSIONS_IN_RANGE = """
			with counted as (
			    select u.session_id, %1$s, u.turns, coalesce(s.model, 'unknown') as model, s.total_credits
			    from session_usage u left join session_snapshot s using (session_id)
			    where u.first_completed_at >= :since and u.last_completed_at < :until
			    union all
			    select r.session_id, %2$s, case when r.counts_turn then 1 else 0 end, coalesce(s.model, 'unknown'),
			           s.total_credits
			    from session_usage u join turn_usage r using (session_id)
			    left join session_snapshot s using (session_id)
			    where u.last_completed_at >= :since and u.first_completed_at < :until
			      and not (u.first_completed_at >= :since and u.last_completed_at < :until)
			      and r.completed_at >= :since and r.completed_at < :until)
			""".formatted(qualified("u"), qualified("r"));

	/**
	 * The usage rows in the time range completed after {@code :after}, which lets the
	 * index skip the rows of earlier buckets.
	 */
	private static final String USAGE_ROWS = """
			with counted as (
			    select session_id, completed_at, %s, case when counts_turn then 1 else 0 end as turns
			    from turn_usage
			    where completed_at >= :since and completed_at < :until and completed_at > :after)
			""".formatted(UsageCounters.COLUMN_LIST);

	/**
	 * The rollup seen as usage rows of all sessions: a bucket's start stands for
	 * {@code completed_at}.
	 */
	private static final String ROLLUP_ROWS = """
			with counted as (
			    select bucket as completed_at, %s, turns
			    from usage_rollup
			    where bucket >= :since and bucket < :until and bucket > :after)
			""".formatted(UsageCounters.COLUMN_LIST);

	/*
	 * The sessions a report reads, one of two constants: SQL takes the list of sessions
	 * as a parameter, but not "all sessions" without losing the index on session_id.
	 */
	private static final String ALL_SESSIONS = """
			, chosen as (select * from counted)
			""";

	private static final String OF_SESSIONS = """
			, chosen as (select * from counted where session_id in (:sessionIds))
			""";

	private static final String BY_SESSION = """
			select session_id as key, %s, sum(turns) as turns, max(total_credits) as billed_credits
			from chosen
			where cast(:after as text) is null or session_id > :after
			group by session_id
			order by session_id
			limit :limit
			""".formatted(UsageCounters.SUMS);

	/** Usage with the model of its session, as its snapshot names it. */
	private static final String BY_MODEL = """
			select model as key, %s, sum(turns) as turns
			from chosen
			where cast(:after as text) is null or model > :after
			group by model
			order by model
			limit :limit
			""".formatted(UsageCounters.SUMS);

	/** Day or hour buckets cut in a time zone, after the bucket that starts at :after. */
	private static final String BY_BUCKET = """
			select bucket, %s, sum(turns) as turns
			from (select date_trunc(:unit, completed_at, :tz) as bucket, %s, turns
			      from chosen) u
			where bucket > :after
			group by bucket
			order by bucket
			limit :limit
			""".formatted(UsageCounters.SUMS, UsageCounters.COLUMN_LIST);

	private static final String TOTALS = """
			select %s, coalesce(sum(turns), 0) as turns
			from chosen
			""".formatted(UsageCounters.SUMS);

	private final JdbcClient jdbc;

	JdbcUsageReportRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code limit} sessions or models after {@code after} (null for the first), by
	 * key.
	 */
	List<UsageRow> byKey(UsageFilter filter, String after, int limit) {
		boolean bySession = filter.grouping() == UsageGrouping.SESSION;
		String report = bySession ? BY_SESSION : BY_MODEL;
		return this.jdbc.sql(statement(sessions(filter.range()), filter, report))
			.params(UsageSql.bounds(filter.range()))
			.param("sessionIds", filter.sessionIds())
			.param("after", after)
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
		String source = fitsRollup(filter) ? ROLLUP_ROWS : USAGE_ROWS;
		return this.jdbc.sql(statement(source, filter, BY_BUCKET))
			.params(UsageSql.bounds(filter.range()))
			.param("sessionIds", filter.sessionIds())
			.param("after", UsageSql.after(after))
			.param("unit", filter.grouping().parameter())
			.param("tz", filter.zone().getId())
			.param("limit", limit)
			.query((rs, rowNum) -> new Bucket(UsageSql.instant(rs, "bucket"), row(rs, null, null)))
			.list();
	}

	/** The counters over every usage row the filter selects. */
	UsageRow totals(UsageFilter filter) {
		String source = fitsRollup(filter) ? ROLLUP_ROWS : sessions(filter.range());
		return this.jdbc.sql(statement(source, filter, TOTALS))
			.params(UsageSql.bounds(filter.range()))
			.param("sessionIds", filter.sessionIds())
			.param("after", UsageSql.after(null))
			.query((rs, rowNum) -> row(rs, null, null))
			.single();
	}

	/**
	 * The sessions' kept totals, and where the time range cuts a session, its usage rows
	 * in the range.
	 */
	private static String sessions(TimeRange range) {
		return UsageSql.bounded(range) ? SESSIONS_IN_RANGE : SESSION_TOTALS;
	}

	/** The source, the sessions of the filter in it, and the report over them. */
	private static String statement(String source, UsageFilter filter, String report) {
		return source + (filter.sessionIds().isEmpty() ? ALL_SESSIONS : OF_SESSIONS) + report;
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

	/** The counter columns of {@code alias} in a select list. */
	private static String qualified(String alias) {
		return UsageCounters.COLUMNS.stream().map((column) -> alias + "." + column).collect(Collectors.joining(", "));
	}

	private static UsageRow row(ResultSet rs, String key, BigDecimal billedCredits) throws SQLException {
		return new UsageRow(key, UsageCounters.read(rs), rs.getLong("turns"), billedCredits);
	}

	/** A day or hour bucket: its start and its counters. */
	record Bucket(Instant start, UsageRow usage) {
	}

}
