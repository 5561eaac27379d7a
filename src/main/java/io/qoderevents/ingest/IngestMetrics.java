package io.qoderevents.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qoderevents.ingest.Rows.EventRow;
import io.qoderevents.ingest.Rows.UsageRow;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code qoder_*} ingestion metrics. Gauges read the database when
 * {@link IngestMetricsJob} says so, never on a scrape.
 */
@Component
class IngestMetrics {

	private static final List<String> STATES = List.of("active", "completed", "failing", "not_found", "unauthorized");

	private static final String STATE_COUNTS = "select state, count(*) from tracked_session group by state";

	private static final String LAG = """
			select coalesce(max(extract(epoch from now() - newest_event_at)), 0)
			from tracked_session where state in ('active', 'failing')
			""";

	private final MeterRegistry registry;

	private final JdbcClient jdbc;

	private final Timer pollCycle;

	private final Counter quarantined;

	private final Counter[] tokens;

	private final ConcurrentHashMap<String, AtomicLong> sessionsByState = new ConcurrentHashMap<>();

	private final AtomicLong lagMillis = new AtomicLong();

	IngestMetrics(MeterRegistry registry, JdbcClient jdbc) {
		this.registry = registry;
		this.jdbc = jdbc;
		this.pollCycle = Timer.builder("qoder.poll.cycle")
			.description("One poll cycle over the due sessions")
			.register(registry);
		this.quarantined = Counter.builder("qoder.events.quarantined")
			.description("Upstream events kept aside instead of stored")
			.register(registry);
		this.tokens = new Counter[] { tokenCounter("input"), tokenCounter("output"), tokenCounter("cache_read"),
				tokenCounter("cache_creation") };
		for (String state : STATES) {
			AtomicLong count = this.sessionsByState.computeIfAbsent(state, (key) -> new AtomicLong());
			Gauge.builder("qoder.tracked.sessions", count, AtomicLong::get)
				.description("Tracked sessions by state")
				.tag("state", state)
				.register(registry);
		}
		Gauge.builder("qoder.ingestion.lag", this.lagMillis, (lag) -> lag.get() / 1000.0)
			.description("Now minus the newest stored event time, the largest over active sessions")
			.baseUnit("seconds")
			.register(registry);
	}

	Timer pollCycle() {
		return this.pollCycle;
	}

	/** Counts what a committed page stored. */
	void stored(PagePlan plan, int quarantinedRows) {
		Map<String, Long> byType = plan.events()
			.stream()
			.collect(Collectors.groupingBy(EventRow::type, Collectors.counting()));
		byType.forEach((type, count) -> this.registry.counter("qoder.events.ingested", "type", type).increment(count));
		for (UsageRow usage : plan.usage()) {
			this.tokens[0].increment(usage.inputTokens());
			this.tokens[1].increment(usage.outputTokens());
			this.tokens[2].increment(usage.cacheReadInputTokens());
			this.tokens[3].increment(usage.cacheCreationInputTokens());
		}
		this.quarantined.increment(quarantinedRows);
	}

	void refreshGauges() {
		this.sessionsByState.values().forEach((count) -> count.set(0));
		this.jdbc.sql(STATE_COUNTS).query((row, n) -> {
			this.sessionsByState.computeIfAbsent(row.getString(1), (key) -> new AtomicLong()).set(row.getLong(2));
			return null;
		}).list();
		Double lag = this.jdbc.sql(LAG).query(Double.class).single();
		this.lagMillis.set(Duration.ofMillis((long) (lag * 1000)).toMillis());
	}

	private Counter tokenCounter(String kind) {
		return Counter.builder("qoder.tokens")
			.description("Tokens reported by ingested session.status_idle events")
			.tag("kind", kind)
			.register(this.registry);
	}

}
