package io.qoderevents.console;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qoderevents.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests per second by purpose from the meters, over windows of at least 5 s. */
class ConsoleUpstreamRatesTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

	@Test
	void ratesWhenRequestsCountedThenPerSecondByPurposeSinceTheLastWindow() {
		UpstreamRates rates = new UpstreamRates(this.registry, this.clock);
		request("events", "200", 20);
		request("events", "429", 10);
		request("sessions", "200", 5);
		this.clock.advance(Duration.ofSeconds(10));
		IngestionReport.Upstream first = rates.rates();
		assertThat(first.windowSeconds()).isEqualTo(10.0);
		assertThat(first.requestsPerSecond()).containsEntry("events", 3.0).containsEntry("sessions", 0.5);

		request("events", "200", 5);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(rates.rates()).as("a window shorter than 5 s keeps the last rates").isEqualTo(first);

		this.clock.advance(Duration.ofSeconds(3));
		IngestionReport.Upstream second = rates.rates();
		assertThat(second.windowSeconds()).isEqualTo(5.0);
		assertThat(second.requestsPerSecond()).containsEntry("events", 1.0).containsEntry("sessions", 0.0);
	}

	@Test
	void ratesWhenNoMetersThenEmptyAndNoStreams() {
		UpstreamRates rates = new UpstreamRates(this.registry, this.clock);
		assertThat(rates.rates().requestsPerSecond()).isEmpty();
		assertThat(rates.rates().budgetUsed()).isZero();
		assertThat(rates.liveStreamsOpen()).isZero();
	}

	private void request(String purpose, String status, int times) {
		this.registry.counter("qoder.upstream.requests", "purpose", purpose, "status", status).increment(times);
	}

}
