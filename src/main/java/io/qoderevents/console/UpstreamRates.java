package io.qoderevents.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Upstream requests per second by purpose and live streams open, from this instance's
 * meters. The rate is measured between two reads at least {@link #MIN_WINDOW} apart; the
 * first window starts when the service does.
 */
@Component
class UpstreamRates {

	static final Duration MIN_WINDOW = Duration.ofSeconds(5);

	private final MeterRegistry registry;

	private final Clock clock;

	private Sample previous;

	private IngestionReport.Upstream last;

	UpstreamRates(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
		this.previous = sample();
	}

	synchronized IngestionReport.Upstream rates() {
		Sample now = sample();
		Duration window = Duration.between(this.previous.at(), now.at());
		if (this.last == null || window.compareTo(MIN_WINDOW) >= 0) {
			double seconds = Math.max(window.toMillis(), 1) / 1000.0;
			Map<String, Double> perSecond = new TreeMap<>();
			now.requests()
				.forEach((purpose, count) -> perSecond.put(purpose,
						(count - this.previous.requests().getOrDefault(purpose, 0.0)) / seconds));
			this.last = new IngestionReport.Upstream(perSecond, seconds, gauge("qoder.upstream.budget.used"));
			this.previous = now;
		}
		return this.last;
	}

	long liveStreamsOpen() {
		return (long) gauge("qoder.live.tail.streams");
	}

	private Sample sample() {
		Map<String, Double> requests = new TreeMap<>();
		for (Counter counter : this.registry.find("qoder.upstream.requests").counters()) {
			String purpose = counter.getId().getTag("purpose");
			requests.merge((purpose != null) ? purpose : "other", counter.count(), Double::sum);
		}
		return new Sample(this.clock.instant(), requests);
	}

	private double gauge(String name) {
		Gauge gauge = this.registry.find(name).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private record Sample(Instant at, Map<String, Double> requests) {
	}

}
