package io.qoderevents.bench;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of polling sessions that have nothing new: many tracked sessions whose cursor
 * is at their last event, an upstream that answers each (empty) page after a delay, and
 * one {@code pollDue()} once all are due.
 */
final class IdlePollPhase {

	private static final String SECTION = "2. idle polling";

	/** Idle sessions are numbered from here, apart from the ingestion run's. */
	private static final int FIRST_NUMBER = 1_000_000;

	private static final String INSERT = """
			insert into tracked_session (session_id, cursor, event_count, next_poll_at)
			values (?, ?, 1, now() - interval '1 second')
			""";

	private static final String DUE = "update tracked_session set next_poll_at = now() - interval '1 second' where session_id = ?";

	private final BenchSettings settings;

	private final BenchUpstream.Running upstream;

	private final BenchEvents events;

	private final Results results;

	private final List<Object[]> sessionIds = new ArrayList<>();

	IdlePollPhase(BenchSettings settings, BenchUpstream.Running upstream, BenchEvents events, Results results) {
		this.settings = settings;
		this.upstream = upstream;
		this.events = events;
		this.results = results;
	}

	/** Tracks the idle sessions, each with its cursor at its only event. */
	void prepare(BenchService service) {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < this.settings.idleSessions(); i++) {
			BenchEvents.Session session = BenchEvents.session(this.events.sessionId(FIRST_NUMBER + i, 1));
			rows.add(new Object[] { session.id(), this.events.events(session, 0, 1).get(0).id() });
			this.sessionIds.add(new Object[] { session.id() });
		}
		service.jdbcTemplate().batchUpdate(INSERT, rows);
		// as autovacuum would soon: planned for 201 rows, the claim query scans all
		// 10,201 every time
		service.jdbc().sql("analyze tracked_session").update();
	}

	/** Makes the idle sessions, and only them, due, and times one {@code pollDue()}. */
	void cycle(BenchService service, int concurrency) throws Exception {
		int count = this.sessionIds.size();
		service.jdbc().sql("update tracked_session set next_poll_at = now() + interval '1 day'").update();
		service.jdbcTemplate().batchUpdate(DUE, this.sessionIds);
		this.upstream.delay(this.settings.idleLatency());
		System.out.printf("[bench] idle poll: %,d sessions, upstream answers after %d ms, concurrency %d%n", count,
				this.settings.idleLatency().toMillis(), concurrency);
		DbStats dbStart = DbStats.read(service.jdbc());
		long requestsStart = this.upstream.requests();
		Instant started = Instant.now();
		CpuSample cpuStart = CpuSample.now(this.upstream, service.postgres());
		int polled = service.ingest().pollDue();
		CpuSample.Used cpu = CpuSample.now(this.upstream, service.postgres()).since(cpuStart);
		long requests = this.upstream.requests() - requestsStart;
		this.upstream.delay(Duration.ZERO);
		DbStats db = DbStats.read(service.jdbc()).since(dbStart);
		long pollCount = service.jdbc()
			.sql("select count(*) from tracked_session where last_polled_at >= ?")
			.param(Timestamp.from(started))
			.query(Long.class)
			.single();
		double seconds = IngestionPhase.seconds(cpu.wall());
		double perSession = Math.max(1, polled);
		String label = (concurrency == this.settings.concurrency()) ? ""
				: " (service restarted with concurrency " + concurrency + ")";
		this.results.add(SECTION, "one poll cycle over the idle sessions" + label,
				String.format("%s sessions polled (%s upstream requests) in **%.1f s** = %.0f sessions/s",
						Results.count(pollCount), Results.count(requests), seconds, polled / seconds),
				"<= 30 s", seconds <= 30);
		this.results.add(SECTION, "CPU of the cycle" + label, String.format(
				"service JVM %.2f s (%.0f us per session); upstream %.2f s; PostgreSQL %.2f s; machine %.0f%% busy",
				IngestionPhase.seconds(cpu.jvm()), cpu.jvm().toNanos() / 1e3 / perSession,
				IngestionPhase.seconds(cpu.upstream()), IngestionPhase.seconds(cpu.postgres()),
				cpu.machineBusy() * 100));
		this.results.add(SECTION, "database round trips per polled session" + label, String.format(
				"%.2f transactions (%s in all); tracked_session: %.2f row updates (%.0f%% HOT), "
						+ "%.2f index scans, %s sequential scans reading %s rows",
				db.transactions() / perSession, Results.count(db.transactions()), db.sessionUpdates() / perSession,
				100.0 * db.sessionHotUpdates() / Math.max(1, db.sessionUpdates()), db.sessionIndexScans() / perSession,
				Results.count(db.sessionSeqScans()), Results.count(db.sessionSeqRows())));
		this.results.add(SECTION, "floor set by the settings" + label,
				String.format("concurrency %d x 1 request per %d ms = at most %.0f sessions/s, %.1f s per cycle",
						concurrency, this.settings.idleLatency().toMillis(),
						concurrency * 1000.0 / this.settings.idleLatency().toMillis(),
						count * this.settings.idleLatency().toMillis() / 1000.0 / concurrency));
	}

}
