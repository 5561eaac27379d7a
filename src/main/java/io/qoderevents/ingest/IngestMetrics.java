package io.qoderevents.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qoderevents.ingest.Rows.EventRow;
import io.qoderevents.ingest.Rows.UsageRow;
import io.qoderevents.tracking.SessionState;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.StreamFrame;
import io.qoderevents.usage.UsageCounters;

import org.springframework.stereotype.Component;

/**
 * The {@code qoder_*} ingestion metrics. Gauges ask tracking for their numbers when
 * {@link IngestMetricsJob} says so, never on a scrape.
 */
@Component
class IngestMetrics {

	private final MeterRegistry registry;

	private final TrackingService tracking;

	private final Timer pollCycle;

	private final Counter quarantined;

	private final Counter[] tokens;

	private final Counter credits;

	private final Map<SessionState, AtomicLong> sessionsByState = new EnumMap<>(SessionState.class);

	private final AtomicLong lagMillis = new AtomicLong();

	private final AtomicLong openStreams = new AtomicLong();

	IngestMetrics(MeterRegistry registry, TrackingService tracking) {
		this.registry = registry;
		this.tracking = tracking;
		this.pollCycle = Timer.builder("qoder.poll.cycle")
			.description("One poll cycle over the due sessions")
			.register(registry);
		this.quarantined = Counter.builder("qoder.events.quarantined")
			.description("Upstream events kept aside instead of stored")
			.register(registry);
		this.tokens = new Counter[] { tokenCounter("input"), tokenCounter("output"), tokenCounter("cache_read"),
				tokenCounter("cache_creation") };
		this.credits = Counter.builder("qoder.credits")
			.description("Credits of ingested model calls (span.model_request_end)")
			.register(registry);
		for (SessionState state : SessionState.values()) {
			AtomicLong count = new AtomicLong();
			this.sessionsByState.put(state, count);
			Gauge.builder("qoder.tracked.sessions", count, AtomicLong::get)
				.description("Tracked sessions by state")
				.tag("state", state.value())
				.register(registry);
		}
		Gauge.builder("qoder.ingestion.lag", this.lagMillis, (lag) -> lag.get() / 1000.0)
			.description("Now minus the newest stored event time, the largest over active sessions")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("qoder.live.tail.streams", this.openStreams, AtomicLong::get)
			.description("Event streams of running sessions open on this instance")
			.register(registry);
	}

	/** Counts a frame of a live-tail stream by its kind. */
	void frameReceived(StreamFrame.Kind kind) {
		this.registry.counter("qoder.live.tail.frames", "kind", kind.name().toLowerCase()).increment();
	}

	void streamOpened() {
		this.openStreams.incrementAndGet();
	}

	/** Counts a closed live-tail stream by why it ended. */
	void streamEnded(String reason) {
		this.openStreams.decrementAndGet();
		this.registry.counter("qoder.live.tail.ends", "reason", reason).increment();
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
			UsageCounters counters = usage.counters();
			this.tokens[0].increment(counters.inputTokens());
			this.tokens[1].increment(counters.outputTokens());
			this.tokens[2].increment(counters.cacheReadInputTokens());
			this.tokens[3].increment(counters.cacheCreationInputTokens());
			this.credits.increment(counters.credits().doubleValue());
		}
		this.quarantined.increment(quarantinedRows);
	}

	void refreshGauges() {
		this.tracking.countByState().forEach((state, count) -> this.sessionsByState.get(state).set(count));
		this.lagMillis.set(this.tracking.ingestionLag().toMillis());
	}

	private Counter tokenCounter(String kind) {
		return Counter.builder("qoder.tokens")
			.description("Tokens reported by ingested session.status_idle events")
			.tag("kind", kind)
			.register(this.registry);
	}

}
