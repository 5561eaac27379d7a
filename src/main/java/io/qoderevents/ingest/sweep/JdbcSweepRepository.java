package io.qoderevents.ingest.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.qoderevents.ingest.Schedule;
import io.qoderevents.tracking.SessionState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The sweep's statements: its lease in {@code job_lease}, so that one replica sweeps per
 * interval, and the marks it leaves on {@code tracked_session} rows that changed
 * upstream.
 */
@Repository
class JdbcSweepRepository {

	private static final String JOB = "sweep";

	/** The states a change upstream makes due: not failing, forbidden or gone. */
	private static final String CHANGEABLE = SessionState
		.sqlLiterals(List.of(SessionState.ACTIVE, SessionState.COMPLETED));

	private static final String ACQUIRE = """
			insert into job_lease (name, owner, lease_until) values (:name, :owner, :now + make_interval(secs => :seconds))
			on conflict (name) do update set owner = excluded.owner, lease_until = excluded.lease_until
			where job_lease.lease_until <= :now
			returning full_at
			""";

	private static final String RENEW = """
			update job_lease set lease_until = greatest(lease_until, :now + make_interval(secs => :seconds))
			where name = :name and owner = :owner
			""";

	private static final String FULL_DONE = """
			update job_lease set full_at = :now where name = :name and owner = :owner
			""";

	/**
	 * Makes due every listed session whose {@code updated_at} or status moved since its
	 * last poll; a session polled before anything was known of it upstream counts as
	 * changed when the upstream changed it after that poll.
	 */
	private static final String MARK_CHANGED = """
			update tracked_session t set changed = true, next_poll_at = least(coalesce(t.next_poll_at, :now), :now)
			from session_snapshot s
			where s.session_id = t.session_id and t.session_id in (:ids) and t.state in (%s) and not t.changed
			  and case when t.polled_updated_at is null and t.polled_status is null
			           then t.last_success_at is null or s.updated_at > t.last_success_at
			           else s.updated_at is distinct from t.polled_updated_at
			                or s.status is distinct from t.polled_status end
			""".formatted(CHANGEABLE);

	/**
	 * Makes due every session last seen running that a complete running-only sweep no
	 * longer lists: it stopped, and its last events wait. Its status is unknown until the
	 * next snapshot.
	 */
	private static final String MARK_STOPPED = """
			with stopped as (
			    update session_snapshot s set status = null
			    where s.status in (%s) and s.read_at < :sweptSince
			      and exists (select 1 from tracked_session t where t.session_id = s.session_id and t.state in (%s))
			    returning s.session_id)
			update tracked_session t set changed = true, next_poll_at = least(coalesce(t.next_poll_at, :now), :now)
			from stopped where t.session_id = stopped.session_id
			""".formatted(Schedule.RUNNING_SQL, CHANGEABLE);

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcSweepRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Takes the sweep's lease for {@code lease} unless another holds it.
	 * @return when the last full sweep completed (empty inside when none has), or empty
	 * when another instance holds the lease
	 */
	Optional<Optional<OffsetDateTime>> acquire(String owner, Duration lease) {
		return at(ACQUIRE).param("name", JOB)
			.param("owner", owner)
			.param("seconds", lease.toMillis() / 1000.0)
			.query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
			.optional();
	}

	/** Keeps the lease for at least {@code lease} more while a long sweep pages. */
	void renew(String owner, Duration lease) {
		at(RENEW).param("name", JOB).param("owner", owner).param("seconds", lease.toMillis() / 1000.0).update();
	}

	/** Records that a full sweep completed now. */
	void fullSweepDone(String owner) {
		at(FULL_DONE).param("name", JOB).param("owner", owner).update();
	}

	/**
	 * Makes due the listed sessions that changed since their last poll; returns how many.
	 */
	int markChanged(Collection<String> sessionIds) {
		return sessionIds.isEmpty() ? 0 : at(MARK_CHANGED).param("ids", sessionIds).update();
	}

	/**
	 * Makes due the sessions last seen running whose status this sweep, begun at
	 * {@code sweptSince}, did not refresh; returns how many.
	 */
	int markStopped(OffsetDateTime sweptSince) {
		return at(MARK_STOPPED).param("sweptSince", sweptSince).update();
	}

	/**
	 * The statement with the clock's instant bound as {@code :now}, the time the lease
	 * and the marked sessions' due times count from.
	 */
	private StatementSpec at(String sql) {
		return this.jdbc.sql(sql).param("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC));
	}

}
