package io.qoderevents.ingest.live;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.upstream.StreamFrame;

import org.springframework.stereotype.Component;

/**
 * The {@code qoder.live.tail.*} metrics: open streams, their frames, and why they end.
 */
@Component
class LiveTailMetrics {

	private final MeterRegistry registry;

	private final AtomicLong openStreams = new AtomicLong();

	LiveTailMetrics(MeterRegistry registry) {
		this.registry = registry;
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

}
