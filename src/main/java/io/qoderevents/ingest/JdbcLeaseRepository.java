package io.qoderevents.ingest;

import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.qoderevents.ingest.Claim.Due;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.ingest.page.PageWriter.Position;
import io.qoderevents.tracking.SessionState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * Leases on tracked sessions and the bookkeeping of each poll: who polls a session, where
 * its cursor stands, and when next. Ingest's only statements on {@code tracked_session};
 * tracking owns the rest of the table's lifecycle and its reads.
 */
@Repository
class JdbcLeaseRepository implements PageWriter.Cursors {

	/**
	 * The polled states as literals, not a parameter, so that the planner matches the
	 * predicate of the partial index {@code tracked_session_due_idx}.
	 */
	private static final String POLLED = SessionState.sqlLiterals(SessionState.POLLED);

	/**
	 * Whether events were stored since the session's snapshot was last read, so that a
	 * poll that stores nothing asks about the snapshot only when one is owed.
	 */
	private static final String SNAPSHOT_STALE = """
			coalesce((select s.events_stored_at > coalesce(s.read_at, '-infinity')
			          from session_snapshot x where x.session_id = t.session_id), false) as snapshot_stale""";

	/**
	 * A due session's claim class: 0 a requested sync; 1 evidence of activity (a webhook,
	 * a stream or a listing marked it changed, the upstream says it runs, or a poll that
	 * did not fail stored events on its last poll or since {@code :activeSince}); 2 the
	 * backlog of first reads and idle re-reads.
	 */
	private static final String PRIORITY = """
			case when t.sync_requested then 0
			     when t.changed or coalesce(s.status in (%s), false)
			          or (t.consecutive_failures = 0
			              and (t.active_at >= t.last_polled_at or t.active_at >= :activeSince)) then 1
			     else 2 end""".formatted(Schedule.RUNNING_SQL);

	/**
	 * Leases the due sessions in priority order (a requested sync, then evidence of
	 * activity, then the backlog, each longest overdue first; the backlog first when
	 * {@code :backlogFirst}) and remembers what the upstream last said of each, so that a
	 * sweep can tell whether it changed since. A session with evidence of activity is due
	 * by {@code :activeDueBy}, the others by {@code :dueBy}.
	 */
	private static final String CLAIM_DUE = """
			with due as (
			    select t.session_id from tracked_session t
			    left join session_snapshot s on s.session_id = t.session_id
			    cross join lateral (select %s as priority) p
			    where (t.sync_requested or t.changed
			           or (t.state in (%s) and t.next_poll_at <= greatest(:dueBy, :activeDueBy)
			               and t.next_poll_at <= case when p.priority = 1 then :activeDueBy else :dueBy end))
			      and (t.lease_until is null or t.lease_until < :now)
			    order by (p.priority = 2 and :backlogFirst) desc, p.priority, t.next_poll_at
			    limit :limit
			    for update of t skip locked)
			update tracked_session t
			set lease_owner = :owner, lease_until = :now + make_interval(secs => :leaseSeconds),
			    sync_requested = false, changed = false, polled_status = s.status, polled_updated_at = s.updated_at
			from due left join session_snapshot s on s.session_id = due.session_id
			where t.session_id = due.session_id
			returning t.session_id, t.cursor, t.consecutive_failures, coalesce(t.active_at, t.tracked_at) as active_at, s.status, s.read_at as status_read_at,
			          s.updated_at, %s, t.active_at is null and t.last_success_at is null as first_read
			"""
		.formatted(PRIORITY, POLLED, SNAPSHOT_STALE);

	private static final String UPSTREAM_UPDATED_AT = """
			select updated_at from session_snapshot where session_id = :id
			""";

	private static final String LOCK = """
			select t.cursor, t.event_count,
			       (select e.sequence from event e where e.id = t.cursor and e.session_id = t.session_id) as cursor_sequence
			from tracked_session t where t.session_id = :id for update of t
			""";

	private static final String ADVANCE = """
			update tracked_session
			set cursor = :cursor, event_count = :eventCount, quarantined_count = quarantined_count + :quarantined,
			    newest_event_at = greatest(newest_event_at, :newestEventAt), state = :state,
			    running = coalesce(:running, running), last_polled_at = :now, last_success_at = :now, consecutive_failures = 0,
			    last_error_at = null, last_error_http_status = null, last_error_type = null,
			    last_error_message = null, last_error_request_id = null,
			    lease_until = case when lease_owner = :owner then :now + make_interval(secs => :leaseSeconds)
			                  else lease_until end
			where session_id = :id
			""";

	private static final String REWIND = """
			update tracked_session set cursor = null where session_id = :id and lease_owner = :owner
			""";

	private static final String FINISH = """
			update tracked_session
			set lease_owner = null, lease_until = null, last_polled_at = :now, last_success_at = :now,
			    state = case when state = :completed then state else :active end,
			    sync_requested = sync_requested and not :satisfied,
			    active_at = case when :stored then :activeAt else active_at end,
			    polled_status = case when :completedNow
			                    then (select status from session_snapshot where session_id = :id) else polled_status end,
			    polled_updated_at = case when :completedNow
			                        then (select updated_at from session_snapshot where session_id = :id)
			                        else polled_updated_at end,
			    consecutive_failures = 0,
			    last_error_at = null, last_error_http_status = null, last_error_type = null,
			    last_error_message = null, last_error_request_id = null,
			    next_poll_at = case when state = :completed then null
			                   else :now + make_interval(secs => :delaySeconds) end
			where session_id = :id and lease_owner = :owner
			returning newest_event_at
			""";

	private static final String DEFER = """
			update tracked_session
			set lease_owner = null, lease_until = null,
			    next_poll_at = :now + make_interval(secs => :delaySeconds)
			where session_id = :id and lease_owner = :owner
			""";

	private static final String FAIL = """
			update tracked_session
			set lease_owner = null, lease_until = null, last_polled_at = :now, state = :state,
			    consecutive_failures = consecutive_failures + 1,
			    last_error_at = :now, last_error_http_status = :httpStatus, last_error_type = :type,
			    last_error_message = :message, last_error_request_id = :requestId,
			    next_poll_at = case when :state in (:notFound, :diverged) then null
			                   else :now + make_interval(secs => :delaySeconds) end
			where session_id = :id and lease_owner = :owner
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcLeaseRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Leases up to {@code limit} sessions due by {@code dueBy} to {@code owner}, skipping
	 * those another instance holds: a claim before the backlog's share.
	 */
	List<Claim> claimDue(String owner, Duration lease, int limit, OffsetDateTime dueBy) {
		return claimDue(owner, lease, limit, new Due(dueBy, dueBy, null), false);
	}

	/**
	 * Leases up to {@code limit} sessions due to {@code owner}, skipping those another
	 * instance holds, the backlog first when {@code backlogFirst}.
	 */
	List<Claim> claimDue(String owner, Duration lease, int limit, Due due, boolean backlogFirst) {
		return at(CLAIM_DUE).param("owner", owner)
			.param("dueBy", due.dueBy())
			.param("activeDueBy", due.activeDueBy())
			.param("activeSince", (due.activeSince() != null) ? due.activeSince() : due.dueBy())
			.param("backlogFirst", backlogFirst)
			.param("leaseSeconds", seconds(lease))
			.param("limit", limit)
			.query(Claim.class)
			.list();
	}

	/** The upstream's {@code updated_at} of the session as last read, or null. */
	OffsetDateTime upstreamUpdatedAt(String sessionId) {
		return this.jdbc.sql(UPSTREAM_UPDATED_AT)
			.param("id", sessionId)
			.query(OffsetDateTime.class)
			.optional()
			.orElse(null);
	}

	/**
	 * Locks the session's row for the page transaction; empty when the session is no
	 * longer tracked.
	 */
	@Override
	public Optional<Position> lock(String sessionId) {
		return this.jdbc.sql(LOCK).param("id", sessionId).query(Position.class).optional();
	}

	/**
	 * Moves the cursor after a committed page, in its transaction, and extends the lease
	 * of its owner.
	 */
	@Override
	public void advance(String sessionId, String owner, String cursor, long eventCount, int quarantined,
			OffsetDateTime newestEventAt, boolean terminal, Boolean running, Duration lease) {
		at(ADVANCE).param("id", sessionId)
			.param("owner", owner)
			.param("cursor", cursor)
			.param("eventCount", eventCount)
			.param("quarantined", quarantined)
			.param("newestEventAt", newestEventAt)
			.param("state", (terminal ? SessionState.COMPLETED : SessionState.ACTIVE).value())
			.param("running", running, Types.BOOLEAN)
			.param("leaseSeconds", seconds(lease))
			.update();
	}

	/** Forgets the cursor so that the next page re-reads the session from the start. */
	boolean rewind(String sessionId, String owner) {
		return this.jdbc.sql(REWIND).param("id", sessionId).param("owner", owner).update() == 1;
	}

	/**
	 * Ends a successful poll: releases the lease and schedules the next one.
	 * @param activeAt when the session was last active, as the poll that stored events
	 * says; null when it stored none
	 * @param completedNow whether this poll completed the session: what the upstream says
	 * of it now is what the poll read, so a later sweep compares with that
	 * @param satisfied whether the read also answers a sync requested while it ran (a
	 * stream read the session live up to its idle)
	 * @return the newest stored event time of the session, empty when it has none or the
	 * lease was lost
	 */
	Optional<OffsetDateTime> finish(String sessionId, String owner, Instant activeAt, boolean completedNow,
			boolean satisfied, Duration delay) {
		return at(FINISH).param("id", sessionId)
			.param("owner", owner)
			.param("completed", SessionState.COMPLETED.value())
			.param("active", SessionState.ACTIVE.value())
			.param("stored", activeAt != null)
			.param("activeAt", (activeAt != null) ? utc(activeAt) : utc(this.clock.instant()))
			.param("completedNow", completedNow)
			.param("satisfied", satisfied)
			.param("delaySeconds", seconds(delay))
			.query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
			.optional()
			.flatMap((newest) -> newest);
	}

	/**
	 * Ends a poll that could not start (the client is paused) without counting a failure.
	 */
	void defer(String sessionId, String owner, Duration delay) {
		at(DEFER).param("id", sessionId).param("owner", owner).param("delaySeconds", seconds(delay)).update();
	}

	/**
	 * Ends a failed poll: records the error, releases the lease and schedules a retry.
	 */
	void fail(String sessionId, String owner, SessionState state, PollError error, Duration delay) {
		at(FAIL).param("id", sessionId)
			.param("owner", owner)
			.param("state", state.value())
			.param("notFound", SessionState.NOT_FOUND.value())
			.param("diverged", SessionState.DIVERGED.value())
			.param("httpStatus", error.httpStatus())
			.param("type", error.type())
			.param("message", error.message())
			.param("requestId", error.requestId())
			.param("delaySeconds", seconds(delay))
			.update();
	}

	/**
	 * The statement with the clock's instant bound as {@code :now}, the time its leases
	 * and schedules count from.
	 */
	private StatementSpec at(String sql) {
		return this.jdbc.sql(sql).param("now", utc(this.clock.instant()));
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/** What a failed poll records. */
	record PollError(Integer httpStatus, String type, String message, String requestId) {
	}

}
