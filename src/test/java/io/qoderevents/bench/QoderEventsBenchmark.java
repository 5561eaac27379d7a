package io.qoderevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The performance benchmark: ingestion against PostgreSQL's COPY, the cost of an idle
 * poll cycle, read API latency and memory, on this machine's PostgreSQL. Only the
 * {@code bench} Maven profile runs it ({@code bench/run}); it prints a table, writes it
 * to {@code bench/RESULTS.md}, and asserts nothing about time.
 */
class QoderEventsBenchmark {

	@Test
	void run() throws Exception {
		BenchSettings settings = BenchSettings.fromSystemProperties();
		Results results = new Results();
		OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		String loadBefore = loadAverage();
		BenchEvents events = new BenchEvents(settings.seed());
		List<Exception> failures = new ArrayList<>();
		String header;
		System.out.println("[bench] " + settings.describe());
		try (MemorySampler whole = new MemorySampler();
				MemorySampler memory = new MemorySampler();
				BenchUpstream.Running upstream = BenchUpstream.start(settings.seed())) {
			IdlePollPhase idle = new IdlePollPhase(settings, upstream, events, results);
			try (BenchService service = BenchService.start(upstream, settings.concurrency())) {
				IngestionPhase ingestion = new IngestionPhase(settings, service, upstream, events, memory, results);
				if (settings.runs("ingestion")) {
					phase("ingestion", ingestion::run, results, failures);
				}
				if (settings.runs("api")) {
					phase("API", () -> new ApiPhase(settings, service, memory, results, ingestion.sessions(),
							ingestion.exportSession())
						.run(), results, failures);
				}
				if (settings.runs("idle")) {
					phase("idle polling", () -> {
						idle.prepare(service);
						idle.cycle(service, settings.concurrency());
					}, results, failures);
				}
				header = header(settings, started, loadBefore, service);
				hold(settings, service);
			}
			if (settings.runs("idle") && settings.idleConcurrency() > 0
					&& settings.idleConcurrency() != settings.concurrency()) {
				try (BenchService service = BenchService.start(upstream, settings.idleConcurrency())) {
					phase("second idle polling", () -> idle.cycle(service, settings.idleConcurrency()), results,
							failures);
				}
			}
			if (settings.runs("freshness")) {
				FreshnessPhase freshness = new FreshnessPhase(settings, upstream, events, results);
				phase("freshness", () -> {
					for (String mode : settings.freshnessModes()) {
						FreshnessPhase.Mode parsed = FreshnessPhase.Mode.of(mode);
						try (BenchService service = BenchService.start(upstream, settings.concurrency())) {
							freshness.prepare(service);
						}
						freshness.run(parsed);
					}
				}, results, failures);
			}
			MemorySampler.Peaks peaks = whole.peaks();
			results.add("4. memory", "whole run: peak heap used / peak live heap after GC / VmHWM",
					Results.mb(peaks.heapUsed()) + " / " + Results.mb(peaks.heapAfterGc()) + " / "
							+ Results.mb(peaks.rssHighWater()) + " (-Xmx" + Results.mb(Runtime.getRuntime().maxMemory())
							+ ")",
					"<= 512 MB", peaks.heapUsed() <= 512L * 1024 * 1024);
		}
		notes(results);
		results.write(settings.results(), header);
		System.out.println();
		System.out.println(results.render(header));
		System.out.println("[bench] written to " + settings.results());
		if (!failures.isEmpty()) {
			throw failures.get(0);
		}
	}

	private static void phase(String name, Phase phase, Results results, List<Exception> failures) {
		try {
			phase.run();
		}
		catch (Exception ex) {
			ex.printStackTrace();
			results.note("The " + name + " phase failed: " + ex);
			failures.add(ex);
		}
	}

	private static void hold(BenchSettings settings, BenchService service) throws InterruptedException {
		if (!settings.hold().isZero()) {
			System.out.printf("[bench] holding the service on port %d and its database for %d s%n", service.port(),
					settings.hold().toSeconds());
			Thread.sleep(settings.hold().toMillis());
		}
	}

	private static String header(BenchSettings settings, OffsetDateTime started, String loadBefore,
			BenchService service) {
		String postgres = service.jdbc().sql("""
				select split_part(version(), ' ', 2) || ' (shared_buffers ' || current_setting('shared_buffers')
				    || ', synchronous_commit ' || current_setting('synchronous_commit') || ', max_wal_size '
				    || current_setting('max_wal_size') || ', fsync ' || current_setting('fsync') || ')'
				""").query(String.class).single();
		return """
				# Benchmark results

				- Date: %s (UTC), ended %s
				- Machine: %s, %d cores, %s memory; %s; Java %s (%s); PostgreSQL %s on the same machine
				- Command: `bench/run` (that is `./mvnw -Pbench verify`, JVM `-Xmx512m`) with %s
				- Load average before: %s; after: %s. Other builds may share this machine: the CPU lines say how busy it was.
				"""
			.formatted(started, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
					procField("/proc/cpuinfo", "model name"), Runtime.getRuntime().availableProcessors(),
					procField("/proc/meminfo", "MemTotal"), osName(), System.getProperty("java.version"),
					System.getProperty("java.vm.name"), postgres, settings.describe(), loadBefore, loadAverage());
	}

	private static void notes(Results results) {
		results.note("Upstream: a separate JVM (`BenchUpstream`) serves pages of generated events (`BenchEvents`: "
				+ "12-event turns with tool use, a `session.error` in 1 turn of 10, 0.5-2 KB each, 30 days; half the "
				+ "sessions in the primary contract's shape (turn ids, token usage on `session.status_idle`), half in "
				+ "today's (`TodayTurn`: only `id`, `type` and `processed_at`, missing on about a quarter of the events; "
				+ "no turn ids; `session.status_running` before the `user.message`; credits on "
				+ "`span.model_request_end`; 1 turn in 4 paused by `requires_action` and resumed after a tool "
				+ "confirmation; 1 in 8 with a thread), and `GET /sessions/{id}` (model, `usage.total_credits`) "
				+ "over loopback HTTP. Envelope-only events are padded (`metadata`) to the same sizes in both shapes. "
				+ "The in-app `SimulatedQoder` keeps every event in the "
				+ "service's heap (about 1.3 GB at the default size, above -Xmx512m) and would count its CPU as the service's.");
		results
			.note("Ingestion: the service is started as `IntegrationTest` starts it (demo profile, no demo sessions, "
					+ "scheduler off), with `qoder.upstream.max-requests-per-second=100000`, `qoder.ingest.poll-interval=30s` "
					+ "and the concurrency above; the benchmark calls `IngestService.pollDue()` until every event is stored. "
					+ "First it does so for the warm-up sessions, which it then deletes, so the timed catch-up starts "
					+ "from empty tables in a JVM that has compiled the ingest path. "
					+ "COPY loads the same generated rows into `event_copy (like event including all)`, one COPY in one "
					+ "transaction per connection; the faster of one and two connections is the baseline. The service "
					+ "also writes `turn`, `turn_usage` (one per idle and per model call), `usage_rollup`, "
					+ "`session_error` and turn state rows (the 'rows inserted' line), COPY does not.");
		results.note("Round trips: `pg_stat_statements` is not loaded on this server, so they are counted as the "
				+ "database's transactions (`pg_stat_database.xact_commit + xact_rollback`, read after an 11 s wait "
				+ "for every backend to report). An idle poll runs in autocommit, so there one statement is one "
				+ "transaction is one round trip. The `tracked_session` row updates and scans come from "
				+ "`pg_stat_user_tables`. The service's metrics job adds 2 transactions every 15 s.");
		results.note("CPU: the service JVM's process CPU time (`OperatingSystemMXBean`), the upstream JVM's, and "
				+ "utime+stime from `/proc` of the PostgreSQL processes of this run's database (backends and "
				+ "autovacuum workers, listed from `pg_stat_activity` every 500 ms); in brackets all `postgres` "
				+ "processes (WAL writer, checkpointer and other builds' databases included); 'machine busy' is "
				+ "`/proc/stat` over both cores, whoever used them.");
		results.note("Latency: one client thread in the benchmark JVM sends requests one after another over loopback "
				+ "HTTP and times each until its body is read; warm-up requests first. Memory: heap sampled every "
				+ "50 ms and before each GC, live heap after each GC, RSS from `/proc/self/status`.");
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String procField(String file, String field) {
		try {
			return Files.readAllLines(Path.of(file))
				.stream()
				.filter((line) -> line.startsWith(field))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String osName() {
		String pretty = procField("/etc/os-release", "PRETTY_NAME");
		return (pretty.equals("unknown") ? System.getProperty("os.name")
				: pretty.replace("PRETTY_NAME=", "").replace("\"", "")) + ", kernel "
				+ System.getProperty("os.version");
	}

	@FunctionalInterface
	private interface Phase {

		void run() throws Exception;

	}

}
