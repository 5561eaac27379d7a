package io.qoderevents.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request pace on a clock that only the gates' own waits move: one gate alone, and
 * gates of several instances on one budget.
 */
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

	@Test
	void acquireWhenTheCapAllowsABatchThenOneReservationPerBatch() throws InterruptedException {
		CountingBudget budget = new CountingBudget(new LocalRequestBudget(this.clock));
		RequestGate batched = new RequestGate(this.clock, 100, this::sleep, budget);
		for (int i = 0; i < 30; i++) {
			assertThat(batched.acquire(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(budget.reservations).isEqualTo(3);
		assertThat(this.waits).hasSize(29).containsOnly(Duration.ofMillis(10));
	}

	@Test
	void acquireWhenAHeldSlotHasGoneByThenReservedAnew() throws InterruptedException {
		CountingBudget budget = new CountingBudget(new LocalRequestBudget(this.clock));
		RequestGate batched = new RequestGate(this.clock, 100, this::sleep, budget);
		batched.acquire(Duration.ofSeconds(5));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(batched.acquire(Duration.ofSeconds(5))).isTrue();
		assertThat(budget.reservations).isEqualTo(2);
		assertThat(this.waits).isEmpty();
	}

	@Test
	void acquireWhenTwoGatesShareOneBudgetThenTheirSlotsTogetherKeepTheInterval() throws InterruptedException {
		RequestBudget shared = new LocalRequestBudget(this.clock);
		RequestGate first = new RequestGate(this.clock, 10, this::sleep, shared);
		RequestGate second = new RequestGate(this.clock, 10, this::sleep, shared);
		List<Instant> sent = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			first.acquire(Duration.ofSeconds(5));
			sent.add(this.clock.instant());
			second.acquire(Duration.ofSeconds(5));
			sent.add(this.clock.instant());
		}
		for (int i = 1; i < sent.size(); i++) {
			assertThat(Duration.between(sent.get(i - 1), sent.get(i))).isEqualTo(Duration.ofMillis(100));
		}
	}

	@Test
	void pauseUntilWhenOneGatePausesThenAnotherOnTheSameBudgetWaitsToo() throws InterruptedException {
		RequestBudget shared = new LocalRequestBudget(this.clock);
		RequestGate first = new RequestGate(this.clock, 10, this::sleep, shared);
		RequestGate second = new RequestGate(this.clock, 10, this::sleep, shared);
		first.pauseUntil(START.plusSeconds(2));
		assertThat(second.acquire(Duration.ofSeconds(5))).isTrue();
		assertThat(this.waits).containsExactly(Duration.ofSeconds(2));
		first.resume();
		first.pauseUntil(START.plusSeconds(30));
		assertThat(second.acquire(Duration.ofSeconds(5))).isFalse();
		assertThat(second.pausedUntil()).isEqualTo(START.plusSeconds(30));
	}

	private void sleep(Duration wait) {
		this.waits.add(wait);
		this.clock.advance(wait);
	}

	/** A budget that counts its reservations. */
	private static final class CountingBudget implements RequestBudget {

		private final RequestBudget budget;

		private int reservations;

		CountingBudget(RequestBudget budget) {
			this.budget = budget;
		}

		@Override
		public Reservation reserve(int slots, Duration interval, Duration maxWait) {
			this.reservations++;
			return this.budget.reserve(slots, interval, maxWait);
		}

		@Override
		public void pauseFor(Duration wait) {
			this.budget.pauseFor(wait);
		}

		@Override
		public Duration pausedFor() {
			return this.budget.pausedFor();
		}

		@Override
		public void resume() {
			this.budget.resume();
		}

	}

}
