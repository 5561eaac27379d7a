package io.qoderevents.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads what ingestion left in the tables: overdue sessions and the sweep's lease. */
@Repository
class JdbcIngestionRepository {

	private static final String OVERDUE = """
			select count(*) from tracked_session
			where state in ('active', 'failing', 'unauthorized') and next_poll_at <= :now
			  and (lease_until is null or lease_until < :now)
			""";

	private static final String UNREAD_TOO_LONG = """
			select count(*) from tracked_session
			where state = 'active' and coalesce(last_success_at, tracked_at) < :oldest
			""";

	private static final String SWEEP = """
			select full_at, owner, lease_until from job_lease where name = 'sweep'
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcIngestionRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	long overdue() {
		return this.jdbc.sql(OVERDUE).param("now", now()).query(Long.class).single();
	}

	long unreadLongerThan(Duration allowed) {
		return this.jdbc.sql(UNREAD_TOO_LONG).param("oldest", now().minus(allowed)).query(Long.class).single();
	}

	Optional<IngestionReport.Sweep> sweep() {
		return this.jdbc.sql(SWEEP)
			.query((rs, n) -> new IngestionReport.Sweep(instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2),
					instant(rs.getObject(3, OffsetDateTime.class))))
			.optional();
	}

	private OffsetDateTime now() {
		return OffsetDateTime.now(this.clock).withOffsetSameInstant(ZoneOffset.UTC);
	}

	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
