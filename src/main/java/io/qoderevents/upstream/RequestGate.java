package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The client-wide pace of upstream requests: a request-rate cap, and pauses the upstream
 * asks for (429 {@code Retry-After}) or that a rejected token calls for. Every request of
 * the client passes here.
 */
class RequestGate {

	private final Clock clock;

	private final long intervalNanos;

	private long nextSlotNanos;

	private Instant pausedUntil = Instant.EPOCH;

	RequestGate(Clock clock, double maxRequestsPerSecond) {
		this.clock = clock;
		this.intervalNanos = (long) (1_000_000_000L / maxRequestsPerSecond);
		this.nextSlotNanos = System.nanoTime();
	}

	/**
	 * Waits for the next request slot.
	 * @param maxWait the longest wait worth it; a longer pause answers false at once and
	 * reserves nothing
	 * @return whether a request may be sent now
	 */
	boolean acquire(Duration maxWait) throws InterruptedException {
		long waitNanos;
		synchronized (this) {
			Instant now0 = this.clock.instant();
			long pauseNanos = this.pausedUntil.isAfter(now0) ? Duration.between(now0, this.pausedUntil).toNanos() : 0;
			long now = System.nanoTime();
			long slot = Math.max(Math.max(this.nextSlotNanos, now), now + pauseNanos);
			waitNanos = slot - now;
			if (waitNanos > maxWait.toNanos()) {
				return false;
			}
			this.nextSlotNanos = slot + this.intervalNanos;
		}
		if (waitNanos > 0) {
			Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
		}
		return true;
	}

	/**
	 * Sends nothing before the given instant (a later pause already in force is kept).
	 */
	synchronized void pauseUntil(Instant until) {
		if (until.isAfter(this.pausedUntil)) {
			this.pausedUntil = until;
		}
	}

	/** Lifts a pause early (the token was replaced, or a test). */
	synchronized void resume() {
		this.pausedUntil = Instant.EPOCH;
	}

	synchronized Instant pausedUntil() {
		return this.pausedUntil;
	}

}
