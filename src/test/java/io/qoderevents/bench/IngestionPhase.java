package io.qoderevents.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingestion throughput against the database's limit: the COPY baseline first, then the
 * service catching up from empty on the same events, then one large session alone (the
 * one the export phase reads).
 */
final class IngestionPhase {

	private static final String SECTION = "1. ingestion";

	/** Stops a catch-up that has not finished by then. */
	private static final Duration DEADLINE = Duration.ofMinutes(30);

	private static final String STORED = "select coalesce(sum(event_count), 0) from tracked_session where session_id in (%s)";

	private final BenchSettings settings;

	private final BenchService service;

	private final BenchUpstream.Running upstream;

	private final BenchEvents events;

	private final MemorySampler memory;

	private final Results results;

	IngestionPhase(BenchSettings settings, BenchService service, BenchUpstream.Running upstream, BenchEvents events,
			MemorySampler memory, Results results) {
		this.settings = settings;
		this.service = service;
		this.upstream = upstream;
		this.events = events;
		this.memory = memory;
		this.results = results;
	}

	/** The sessions of the ingestion run. */
	List<BenchEvents.Session> sessions() {
		List<BenchEvents.Session> sessions = new ArrayList<>();
		for (int i = 0; i < this.settings.sessions(); i++) {
			sessions.add(BenchEvents.session(this.events.sessionId(i, this.settings.events())));
		}
		return sessions;
	}

	/** The session the export phase reads, numbered after the others. */
	BenchEvents.Session exportSession() {
		return BenchEvents.session(this.events.sessionId(this.settings.sessions(), this.settings.exportEvents()));
	}

	/**
	 * Runs COPY, then the catch-up; returns ingest events/s divided by the faster COPY's
	 * rows/s.
	 */
	double run() throws Exception {
		List<BenchEvents.Session> sessions = sessions();
		long expected = this.settings.totalEvents();
		double singleCopyRate = copy(sessions, 1);
		double copyRate = singleCopyRate;
		if (this.settings.copyStreams() > 1) {
			copyRate = Math.max(copyRate, copy(sessions, this.settings.copyStreams()));
		}
		warmUp();
		sessions.forEach((session) -> this.service.tracking().track(session.id()));
		String ids = String.join(",", sessions.stream().map((session) -> "'" + session.id() + "'").toList());
		DbStats dbStart = DbStats.read(this.service.jdbc());
		AtomicInteger ownQueries = new AtomicInteger();
		long requestsStart = this.upstream.requests();
		long sessionRequestsStart = this.upstream.sessionRequests();
		this.memory.reset();
		CpuSample cpuStart = CpuSample.now(this.upstream, this.service.postgres());
		System.out.printf("[bench] ingestion: %d sessions x %d events, concurrency %d%n", sessions.size(),
				this.settings.events(), this.settings.concurrency());
		ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
		long startNanos = System.nanoTime();
		progress.scheduleAtFixedRate(() -> {
			ownQueries.incrementAndGet();
			long stored = stored(ids);
			double elapsed = (System.nanoTime() - startNanos) / 1e9;
			System.out.printf("[bench]   %,d events stored in %.0f s (%,.0f/s)%n", stored, elapsed, stored / elapsed);
		}, 15, 15, TimeUnit.SECONDS);
		long stored;
		try {
			stored = catchUp(ids, expected, ownQueries);
		}
		finally {
			progress.shutdownNow();
		}
		CpuSample.Used ingestCpu = CpuSample.now(this.upstream, this.service.postgres()).since(cpuStart);
		MemorySampler.Peaks peaks = this.memory.peaks();
		long pages = this.upstream.requests() - requestsStart;
		long sessionReads = this.upstream.sessionRequests() - sessionRequestsStart;
		DbStats db = DbStats.read(this.service.jdbc()).since(dbStart);
		double rate = stored / seconds(ingestCpu.wall());
		double ratio = rate / copyRate;
		this.results.add(SECTION, "ingest: service catches up from empty",
				String.format(
						"%s events in %.1f s = **%s events/s** (%s pages, %.0f pages/s; %s session snapshot reads)",
						Results.count(stored), seconds(ingestCpu.wall()), Results.count(rate), Results.count(pages),
						pages / seconds(ingestCpu.wall()), Results.count(sessionReads)));
		this.results.add(SECTION, "ingest / faster COPY", String.format("%.2f", ratio), ">= 0.5", ratio >= 0.5);
		this.results.add(SECTION, "ingest CPU", ingestCpu + "; " + ingestCpu.perItem(stored, "event"));
		this.results.add(SECTION, "ingest database work",
				String.format("%.1f transactions per page; %s rows inserted (all tables)",
						(db.transactions() - ownQueries.get()) / (double) Math.max(1, pages),
						Results.count(db.inserted())));
		this.results.add("4. memory", "ingestion: peak heap used / peak live heap after GC",
				Results.mb(peaks.heapUsed()) + " / " + Results.mb(peaks.heapAfterGc()), "<= 512 MB",
				peaks.heapUsed() <= 512L * 1024 * 1024);
		this.results.add("4. memory", "ingestion: peak RSS sampled / VmHWM",
				Results.mb(peaks.rss()) + " / " + Results.mb(peaks.rssHighWater()));
		this.results.add("4. memory", "ingestion: garbage collections", String.format("%d, %.1f s (%.1f%% of the run)",
				peaks.collections(), peaks.gcMillis() / 1000.0, peaks.gcMillis() / 10.0 / seconds(ingestCpu.wall())));
		this.results.line(String.format(
				"ratio ingest/COPY = %.2f (%s events/s / %s rows/s, the faster COPY; %.2f against COPY over one "
						+ "connection; target >= 0.5: %s)",
				ratio, Results.count(rate), Results.count(copyRate), rate / singleCopyRate,
				(ratio >= 0.5) ? "met" : "missed"));
		compare(sessions);
		if (stored < expected) {
			this.results.note("The catch-up stopped at its deadline with " + stored + " of " + expected + " events.");
		}
		ingestExportSession();
		return ratio;
	}

	/**
	 * Ingests the warm-up sessions (numbered after the export session) with a cold JVM,
	 * reports how fast, then deletes everything they wrote: the catch-up starts from
	 * empty tables with the ingest path compiled.
	 */
	private void warmUp() throws InterruptedException {
		int count = this.settings.ingestWarmUp();
		if (count == 0) {
			return;
		}
		List<String> quoted = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = this.events.sessionId(this.settings.sessions() + 1 + i, this.settings.events());
			this.service.tracking().track(id);
			quoted.add("'" + id + "'");
		}
		String ids = String.join(",", quoted);
		long expected = (long) count * this.settings.events();
		System.out.printf("[bench] ingestion warm-up: %d sessions x %d events%n", count, this.settings.events());
		CpuSample cpuStart = CpuSample.now(this.upstream, this.service.postgres());
		long stored = catchUp(ids, expected, new AtomicInteger());
		CpuSample.Used cpu = CpuSample.now(this.upstream, this.service.postgres()).since(cpuStart);
		this.results.add(SECTION, "ingest warm-up, cold JVM (untimed, then deleted)",
				String.format("%s events in %.1f s = %s events/s; %s", Results.count(stored), seconds(cpu.wall()),
						Results.count(stored / seconds(cpu.wall())), cpu.perItem(stored, "event")));
		this.service.jdbc()
			.sql("truncate event, turn_usage, turn, session_usage, usage_rollup, session_error, session_turn_state,"
					+ " session_snapshot, quarantined_event")
			.update();
		this.service.jdbc().sql("delete from tracked_session where session_id in (" + ids + ")").update();
		this.service.jdbc().sql("checkpoint").update();
	}

	/**
	 * Checks that COPY loads what the ingester wrote: the rows of the first session of
	 * each shape.
	 */
	private void compare(List<BenchEvents.Session> sessions) throws SQLException {
		CopyBaseline copy = new CopyBaseline(this.service.dataSource(), this.events);
		List<String> checked = new ArrayList<>();
		for (BenchEvents.Session session : sessions.subList(0, Math.min(2, sessions.size()))) {
			long[] counts = copy.compare(session);
			checked.add(String.format(
					"%s shape: %s rows, turn_id differs on %s, session_thread_id on %s, " + "event_time on %s",
					BenchEvents.today(session) ? "today's" : "the contract's", Results.count(counts[0]),
					Results.count(counts[1]), Results.count(counts[2]), Results.count(counts[3])));
		}
		this.results.add(SECTION, "COPY rows against the ingester's (one session of each shape)",
				String.join("; ", checked));
	}

	/** Loads the events with COPY over this many connections; returns rows/s. */
	private double copy(List<BenchEvents.Session> sessions, int streams) throws Exception {
		System.out.printf("[bench] COPY baseline: %,d rows into event_copy over %d connection(s)%n",
				this.settings.totalEvents(), streams);
		CopyBaseline copy = new CopyBaseline(this.service.dataSource(), this.events);
		copy.create();
		CpuSample cpuStart = CpuSample.now(this.upstream, this.service.postgres());
		long[] copied = copy.load(sessions, streams);
		CpuSample.Used cpu = CpuSample.now(this.upstream, this.service.postgres()).since(cpuStart);
		long tableBytes = this.service.jdbc()
			.sql("select pg_total_relation_size('event_copy')")
			.query(Long.class)
			.single();
		copy.drop();
		double rate = copied[0] / seconds(cpu.wall());
		String measure = (streams == 1) ? "COPY, one connection" : "COPY, " + streams + " connections at once";
		this.results.add(SECTION, measure, String.format(
				"%s rows in %.1f s = **%s rows/s** (%.1f MB/s of JSON, %.0f bytes per event; table + indexes %s)",
				Results.count(copied[0]), seconds(cpu.wall()), Results.count(rate),
				copied[1] / 1048576.0 / seconds(cpu.wall()), (double) copied[1] / Math.max(1, copied[0]),
				Results.mb(tableBytes)));
		this.results.add(SECTION, measure + ": CPU",
				cpu + "; " + cpu.perItem(copied[0], "row") + " (the JVM generates the rows)");
		System.out.printf("[bench] COPY: %,.0f rows/s%n", rate);
		return rate;
	}

	private void ingestExportSession() throws InterruptedException {
		BenchEvents.Session session = exportSession();
		this.service.tracking().track(session.id());
		String ids = "'" + session.id() + "'";
		long start = System.nanoTime();
		long stored = catchUp(ids, session.eventCount(), new AtomicInteger());
		double elapsed = (System.nanoTime() - start) / 1e9;
		this.results.add(SECTION, "one session alone (pages in sequence)", String.format(
				"%s events in %.1f s = %s events/s", Results.count(stored), elapsed, Results.count(stored / elapsed)));
	}

	/**
	 * Polls due sessions until these hold {@code expected} events or the deadline passes.
	 * @param queries counts the benchmark's own queries
	 * @return the events they hold
	 */
	private long catchUp(String ids, long expected, AtomicInteger queries) throws InterruptedException {
		long start = System.nanoTime();
		long stored = 0;
		while (stored < expected && System.nanoTime() - start < DEADLINE.toNanos()) {
			if (this.service.ingest().pollDue() == 0) {
				Thread.sleep(100);
			}
			queries.incrementAndGet();
			stored = stored(ids);
		}
		return stored;
	}

	private long stored(String ids) {
		return this.service.jdbc().sql(STORED.formatted(ids)).query(Long.class).single();
	}

	static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

}
