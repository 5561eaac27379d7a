package io.qoderevents.ingest.live;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.qoderevents.tracking.SessionState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The live tail's leases on {@code tracked_session}: a stream claims a running session
 * like a poll claims a due one, and renews the lease while it is open. Handing the
 * session back is the poll's bookkeeping ({@link io.qoderevents.ingest.Handback}).
 */
@Repository
class JdbcStreamLeaseRepository {

	/**
	 * Whether a session is running, as the live tail sees it: its last stored primary
	 * status event is a {@code session.status_running} (the {@code running} column each
	 * page keeps); before any status event, its snapshot's status. Each branch matches a
	 * partial index.
	 */
	private static final String RUNNING = """
			(t.running or (t.running is null and exists (select 1 from session_snapshot s
			                                           where s.session_id = t.session_id and s.status = 'running')))""";

	/**
	 * A session a stream may lease: active, running, free, and with a cursor (a stream
	 * opened without one starts at the tail, so a session's history is read by polling
	 * first).
	 */
	private static final String STREAMABLE = """
			t.state = :active and t.cursor is not null and (t.lease_until is null or t.lease_until < :now)
			  and %s""".formatted(RUNNING);

	/** Leases streamable sessions to a stream, the most recently active first. */
	private static final String CLAIM_RUNNING = """
			update tracked_session t
			set lease_owner = :owner, lease_until = :now + make_interval(secs => :leaseSeconds)
			where t.session_id in (
			    select t.session_id from tracked_session t
			    where %s and t.session_id <> all(:excluded)
			    order by t.newest_event_at desc nulls last
			    limit :limit
			    for update skip locked)
			returning t.session_id, t.cursor
			""".formatted(STREAMABLE);

	/** {@link #CLAIM_RUNNING} for one session. */
	private static final String CLAIM_ONE_RUNNING = """
			update tracked_session t
			set lease_owner = :owner, lease_until = :now + make_interval(secs => :leaseSeconds)
			where t.session_id = :id and %s
			returning t.session_id, t.cursor
			""".formatted(STREAMABLE);

	private static final String RENEW = """
			update tracked_session set lease_until = :now + make_interval(secs => :leaseSeconds)
			where session_id = :id and lease_owner = :owner
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcStreamLeaseRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Leases up to {@code limit} running sessions that have a cursor to a stream's
	 * {@code owner}, skipping leased ones and the {@code excluded}.
	 */
	List<Streamable> claimRunning(String owner, Duration lease, int limit, Collection<String> excluded) {
		return at(CLAIM_RUNNING).param("owner", owner)
			.param("leaseSeconds", seconds(lease))
			.param("active", SessionState.ACTIVE.value())
			.param("excluded", excluded.toArray(String[]::new))
			.param("limit", limit)
			.query(Streamable.class)
			.list();
	}

	/**
	 * Leases the session to a stream's {@code owner} as {@link #claimRunning} would;
	 * empty when it is not running, has no cursor or is leased.
	 */
	Optional<Streamable> claimRunning(String owner, Duration lease, String sessionId) {
		return at(CLAIM_ONE_RUNNING).param("id", sessionId)
			.param("owner", owner)
			.param("leaseSeconds", seconds(lease))
			.param("active", SessionState.ACTIVE.value())
			.query(Streamable.class)
			.optional();
	}

	/** Extends a lease its owner still holds; false when it is lost. */
	boolean renew(String sessionId, String owner, Duration lease) {
		return at(RENEW).param("id", sessionId)
			.param("owner", owner)
			.param("leaseSeconds", seconds(lease))
			.update() == 1;
	}

	private StatementSpec at(String sql) {
		return this.jdbc.sql(sql).param("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC));
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/** A running session leased to a stream, with the cursor to resume it from. */
	record Streamable(String sessionId, String cursor) {
	}

}
