package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.ingest.turns.PagePlan;
import io.qoderevents.ingest.turns.Rows.EventRow;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.tracking.SessionState;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.usage.UsageCounters;

import org.springframework.stereotype.Component;

/**
 * The {@code qoder_*} ingestion metrics. Gauges ask tracking for their numbers when
 * {@link IngestMetricsJob} says so, never on a scrape.
 */
@Component
class IngestMetrics implements PageWriter.Listener {

	/** The buckets of the unread-sessions gauges, the last one {@code +Inf}. */
	private static final List<Duration> UNREAD_BOUNDS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
			Duration.ofHours(2));

	private final MeterRegistry registry;

	private final TrackingService tracking;

	private final Timer pollCycle;

	private final Counter quarantined;

	private final Counter[] tokens;

	private final Counter credits;

	private final Map<SessionState, AtomicLong> sessionsByState = new EnumMap<>(SessionState.class);

	private final AtomicLong behindMillis = new AtomicLong();

	private final AtomicLong[] unread = new AtomicLong[UNREAD_BOUNDS.size() + 1];

	private final Timer readDelay;

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
		Gauge.builder("qoder.ingestion.behind", this.behindMillis, (behind) -> behind.get() / 1000.0)
			.description("How long the most overdue session waiting for a poll has waited; grows only when the"
					+ " service falls behind its schedule")
			.baseUnit("seconds")
			.register(registry);
		for (int i = 0; i < this.unread.length; i++) {
			this.unread[i] = new AtomicLong();
			String bound = (i < UNREAD_BOUNDS.size()) ? String.valueOf(UNREAD_BOUNDS.get(i).toSeconds()) : "+Inf";
			Gauge.builder("qoder.sessions.unread", this.unread[i], AtomicLong::get)
				.description("Active sessions last read at most le seconds ago (cumulative buckets)")
				.tag("le", bound)
				.register(registry);
		}
		this.readDelay = Timer.builder("qoder.read.delay")
			.description("From the upstream's updated_at (or the newest event time) to the poll that read the events")
			.serviceLevelObjectives(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
					Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1))
			.register(registry);
	}

	/**
	 * Records how long after the upstream last changed a poll read its new events.
	 * @param updatedAt the upstream's {@code updated_at} when the poll was claimed, or
	 * null
	 * @param newestEventAt the newest stored event time after the poll, or null
	 */
	void read(Instant now, OffsetDateTime updatedAt, OffsetDateTime newestEventAt) {
		OffsetDateTime changed = (updatedAt == null || (newestEventAt != null && newestEventAt.isAfter(updatedAt)))
				? newestEventAt : updatedAt;
		if (changed != null && !changed.toInstant().isAfter(now)) {
			this.readDelay.record(Duration.between(changed.toInstant(), now));
		}
	}

	Timer pollCycle() {
		return this.pollCycle;
	}

	/** Counts what a committed page stored. */
	@Override
	public void stored(PagePlan plan, int quarantinedRows) {
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
		this.behindMillis.set(this.tracking.ingestionBehind().toMillis());
		long[] counts = this.tracking.unreadFor(UNREAD_BOUNDS);
		for (int i = 0; i < counts.length; i++) {
			this.unread[i].set(counts[i]);
		}
	}

	/**
	 * Counts a snapshot field of a shape the upstream does not document, stored as null.
	 */
	void malformedSnapshotField(String field) {
		Counter.builder("qoder.snapshots.malformed")
			.description("Session snapshot fields of an undocumented shape, stored as null")
			.tag("field", field)
			.register(this.registry)
			.increment();
	}

	private Counter tokenCounter(String kind) {
		return Counter.builder("qoder.tokens")
			.description("Tokens reported by ingested session.status_idle events")
			.tag("kind", kind)
			.register(this.registry);
	}

}
