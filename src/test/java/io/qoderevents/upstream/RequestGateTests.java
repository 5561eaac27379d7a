package io.qoderevents.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request pace on a clock that only the gate's own waits move. */
class RequestGateTests {

	private static final Instant START = Instant.parse("2026-05-18T03:40:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final List<Duration> waits = new ArrayList<>();

	private final RequestGate gate = new RequestGate(this.clock, 10, (wait) -> {
		this.waits.add(wait);
		this.clock.advance(wait);
	});

	@Test
	void acquireWhenRateCapSetThenSlotsSpacedByInterval() throws InterruptedException {
		for (int i = 0; i < 11; i++) {
			assertThat(this.gate.acquire(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(this.waits).hasSize(10).containsOnly(Duration.ofMillis(100));
		assertThat(this.clock.instant()).isEqualTo(START.plusSeconds(1));
		assertThat(this.gate.nextSlot()).isEqualTo(START.plusMillis(1100));
	}

	@Test
	void acquireWhenIdleLongerThanIntervalThenNoWait() throws InterruptedException {
		this.gate.acquire(Duration.ofSeconds(5));
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.gate.acquire(Duration.ofSeconds(5))).isTrue();
		assertThat(this.waits).isEmpty();
		assertThat(this.gate.nextSlot()).isEqualTo(START.plusMillis(3100));
	}

	@Test
	void acquireWhenPausedWithinMaxWaitThenWaitsUntilPauseEnds() throws InterruptedException {
		this.gate.pauseUntil(START.plusSeconds(2));
		assertThat(this.gate.acquire(Duration.ofSeconds(5))).isTrue();
		assertThat(this.waits).containsExactly(Duration.ofSeconds(2));
		assertThat(this.gate.nextSlot()).isEqualTo(START.plusMillis(2100));
	}

	@Test
	void acquireWhenPausedBeyondMaxWaitThenRefusedAndNothingReserved() throws InterruptedException {
		this.gate.pauseUntil(START.plusSeconds(30));
		assertThat(this.gate.acquire(Duration.ofSeconds(5))).isFalse();
		assertThat(this.waits).isEmpty();
		assertThat(this.gate.nextSlot()).isEqualTo(Instant.EPOCH);
		this.gate.resume();
		assertThat(this.gate.acquire(Duration.ofSeconds(5))).isTrue();
		assertThat(this.waits).isEmpty();
	}

	@Test
	void pauseUntilWhenEarlierThanPauseInForceThenLaterKept() {
		this.gate.pauseUntil(START.plusSeconds(30));
		this.gate.pauseUntil(START.plusSeconds(10));
		assertThat(this.gate.pausedUntil()).isEqualTo(START.plusSeconds(30));
		this.gate.resume();
		assertThat(this.gate.pausedUntil()).isBefore(START);
	}

}
