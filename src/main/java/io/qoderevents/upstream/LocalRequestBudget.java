package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A budget held in this process only: the pace of a client with no database (its unit
 * tests), and the fallback while the database does not answer.
 */
final class LocalRequestBudget implements RequestBudget {

	private final Clock clock;

	private Instant theoreticalArrival = Instant.EPOCH;

	private Instant pausedUntil = Instant.EPOCH;

	LocalRequestBudget(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized Reservation reserve(int slots, Duration interval, Duration maxWait) {
		Instant now = this.clock.instant();
		Instant first = latest(latest(this.theoreticalArrival, this.pausedUntil), now);
		boolean granted = !first.isAfter(now.plus(maxWait));
		if (granted) {
			this.theoreticalArrival = first.plus(interval.multipliedBy(slots));
		}
		return new Reservation(granted, Duration.between(now, first), Duration.between(now, this.pausedUntil),
				Duration.between(now, this.theoreticalArrival));
	}

	@Override
	public synchronized void pauseFor(Duration wait) {
		this.pausedUntil = latest(this.pausedUntil, this.clock.instant().plus(wait));
	}

	@Override
	public synchronized Duration pausedFor() {
		return Duration.between(this.clock.instant(), this.pausedUntil);
	}

	@Override
	public synchronized void resume() {
		this.pausedUntil = Instant.EPOCH;
	}

	private static Instant latest(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

}
