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
	 * @return whether a request may be sent now: no pause is in force when the slot
	 * comes, even one that began while this caller waited for it
	 */
	boolean acquire(Duration maxWait) throws InterruptedException {
		long deadline = System.nanoTime() + maxWait.toNanos();
		while (true) {
			long waitNanos;
			synchronized (this) {
				long now = System.nanoTime();
				long slot = Math.max(Math.max(this.nextSlotNanos, now), now + pauseNanos());
				if (slot > deadline) {
					return false;
				}
				waitNanos = slot - now;
				this.nextSlotNanos = slot + this.intervalNanos;
			}
			if (waitNanos > 0) {
				Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
			}
			synchronized (this) {
				if (pauseNanos() == 0) {
					return true;
				}
			}
		}
	}

	/** What is left of a pause in force, in nanoseconds; 0 without one. */
	private long pauseNanos() {
		Instant now = this.clock.instant();
		return this.pausedUntil.isAfter(now) ? Duration.between(now, this.pausedUntil).toNanos() : 0;
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
