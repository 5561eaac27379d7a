package io.qoderevents.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The sizes of a run, from system properties ({@code -Dbench.sessions=20} on the Maven
 * command line) so that a quick run can use less.
 *
 * @param sessions sessions the upstream serves for the ingestion run
 * ({@code bench.sessions}, 200)
 * @param events events in each of them ({@code bench.events}, 5,000)
 * @param concurrency {@code qoder.ingest.concurrency} of the service
 * ({@code bench.concurrency}, 8)
 * @param copyStreams parallel COPY connections of the baseline's second load
 * ({@code bench.copy-streams}, the number of cores); the first load uses one
 * @param idleSessions tracked sessions without new events for the idle poll
 * ({@code bench.idle-sessions}, 10,000)
 * @param idleLatency upstream answer delay during the idle poll
 * ({@code bench.idle-latency-ms}, 50)
 * @param idleConcurrency concurrency of a second idle poll cycle by a restarted service,
 * to compare ({@code bench.idle-concurrency}, 32; 0 for none)
 * @param exportEvents events of the session exported as NDJSON
 * ({@code bench.export-events}, 100,000)
 * @param requests timed requests per API measure ({@code bench.requests}, 1,000)
 * @param warmUp untimed requests before them ({@code bench.warm-up}, 200)
 * @param requestCap longest time spent timing one API measure
 * ({@code bench.request-cap-seconds}, 480)
 * @param seed seed of the generated events ({@code bench.seed}, 42)
 * @param results the file the results go to ({@code bench.results},
 * {@code bench/RESULTS.md})
 * @param hold keep the service and its database up this long after the run, to inspect
 * them ({@code bench.hold-seconds}, 0)
 * @param phases the phases to run ({@code bench.phases},
 * {@code ingestion,api,idle,freshness})
 * @param freshnessIdle idle tracked sessions of the freshness phase
 * ({@code bench.freshness-idle}, 10,000)
 * @param freshnessLive live sessions of the freshness phase
 * ({@code bench.freshness-live}, 20)
 * @param freshnessTurn how often a live session plays a turn
 * ({@code bench.freshness-turn-seconds}, 10)
 * @param freshnessIdleWindow how long the freshness phase measures the service idle
 * ({@code bench.freshness-idle-seconds}, 60)
 * @param freshnessDuration how long the live sessions play
 * ({@code bench.freshness-seconds}, 180)
 * @param freshnessModes how the freshness phase's service learns of new events, run in
 * this order ({@code bench.freshness-modes}, {@code poll,webhooks,live-tail,push})
 * @param ingestWarmUp sessions of {@code events} each the service ingests before the
 * timed catch-up, untimed and then deleted, so the catch-up measures a warm JVM as a
 * long-running service is ({@code bench.ingest-warm-up-sessions}, 60; 0 for none)
 */
record BenchSettings(int sessions, int events, int concurrency, int copyStreams, int idleSessions, Duration idleLatency,
		int idleConcurrency, int exportEvents, int requests, int warmUp, Duration requestCap, long seed, Path results,
		Duration hold, Set<String> phases, int freshnessIdle, int freshnessLive, Duration freshnessTurn,
		Duration freshnessIdleWindow, Duration freshnessDuration, List<String> freshnessModes, int ingestWarmUp) {

	static BenchSettings fromSystemProperties() {
		Path base = Path.of(System.getProperty("basedir", "."));
		return new BenchSettings(integer("sessions", 200), integer("events", 5_000), integer("concurrency", 8),
				integer("copy-streams", Runtime.getRuntime().availableProcessors()), integer("idle-sessions", 10_000),
				Duration.ofMillis(integer("idle-latency-ms", 50)), integer("idle-concurrency", 32),
				integer("export-events", 100_000), integer("requests", 1_000), integer("warm-up", 200),
				Duration.ofSeconds(integer("request-cap-seconds", 480)), integer("seed", 42),
				base.resolve(System.getProperty("bench.results", "bench/RESULTS.md")),
				Duration.ofSeconds(integer("hold-seconds", 0)),
				Set.of(System.getProperty("bench.phases", "ingestion,api,idle,freshness").split("\\s*,\\s*")),
				integer("freshness-idle", 10_000), integer("freshness-live", 20),
				Duration.ofSeconds(integer("freshness-turn-seconds", 10)),
				Duration.ofSeconds(integer("freshness-idle-seconds", 60)),
				Duration.ofSeconds(integer("freshness-seconds", 180)),
				List.of(System.getProperty("bench.freshness-modes", "poll,webhooks,live-tail,push").split("\\s*,\\s*")),
				integer("ingest-warm-up-sessions", 60));
	}

	boolean runs(String phase) {
		return this.phases.contains(phase);
	}

	long totalEvents() {
		return (long) this.sessions * this.events;
	}

	String describe() {
		return String.format(
				"sessions=%d events=%d concurrency=%d copy-streams=%d idle-sessions=%d "
						+ "idle-latency-ms=%d idle-concurrency=%d export-events=%d requests=%d warm-up=%d "
						+ "ingest-warm-up-sessions=%d%s",
				this.sessions, this.events, this.concurrency, this.copyStreams, this.idleSessions,
				this.idleLatency.toMillis(), this.idleConcurrency, this.exportEvents, this.requests, this.warmUp,
				this.ingestWarmUp, (this.phases.size() < 4) ? " phases=" + String.join(",", this.phases) : "");
	}

	private static int integer(String name, int fallback) {
		String value = System.getProperty("bench." + name);
		return (value != null && !value.isBlank()) ? Integer.parseInt(value.trim().replace("_", "")) : fallback;
	}

}
