package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.qoderevents.config.QoderProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The client-wide pace of upstream requests: a request-rate cap, and pauses the upstream
 * asks for (429 {@code Retry-After}) or that a rejected token calls for. Every request of
 * the client passes here.
 */
@Component
class RequestGate {

	private static final int WINDOW_SECONDS = 10;

	private final Clock clock;

	private final Duration interval;

	private final Sleeper sleeper;

	private Instant nextSlot = Instant.EPOCH;

	private Instant pausedUntil = Instant.EPOCH;

	/**
	 * Slots handed out per second of the last {@value #WINDOW_SECONDS}, by epoch second.
	 */
	private final long[] granted = new long[WINDOW_SECONDS];

	private final long[] grantedSecond = new long[WINDOW_SECONDS];

	private final double maxRequestsPerSecond;

	@Autowired
	RequestGate(Clock clock, QoderProperties properties) {
		this(clock, properties.upstream().maxRequestsPerSecond(), (wait) -> TimeUnit.NANOSECONDS.sleep(wait.toNanos()));
	}

	RequestGate(Clock clock, double maxRequestsPerSecond, Sleeper sleeper) {
		this.clock = clock;
		this.maxRequestsPerSecond = maxRequestsPerSecond;
		this.interval = Duration.ofNanos((long) (1_000_000_000L / maxRequestsPerSecond));
		this.sleeper = sleeper;
	}

	/**
	 * Waits for the next request slot.
	 * @param maxWait the longest wait worth it; a longer pause answers false at once and
	 * reserves nothing
	 * @return whether a request may be sent now: no pause is in force when the slot
	 * comes, even one that began while this caller waited for it
	 */
	boolean acquire(Duration maxWait) throws InterruptedException {
		Duration wait;
		synchronized (this) {
			Instant now = this.clock.instant();
			Instant slot = latest(latest(this.nextSlot, now), this.pausedUntil);
			wait = Duration.between(now, slot);
			if (wait.compareTo(maxWait) > 0) {
				return false;
			}
			this.nextSlot = slot.plus(this.interval);
			count(slot.getEpochSecond());
		}
		if (!wait.isZero()) {
			this.sleeper.sleep(wait);
		}
		return true;
	}

	/**
	 * Sends nothing before the given instant (a later pause already in force is kept).
	 */
	synchronized void pauseUntil(Instant until) {
		this.pausedUntil = latest(this.pausedUntil, until);
	}

	/** Lifts a pause early (the token was replaced, or a test). */
	synchronized void resume() {
		this.pausedUntil = Instant.EPOCH;
	}

	synchronized Instant pausedUntil() {
		return this.pausedUntil;
	}

	/**
	 * How long the slots already handed out, or a pause, keep the client busy from now.
	 */
	synchronized Duration backlog() {
		Instant now = this.clock.instant();
		Instant busy = latest(this.nextSlot, this.pausedUntil);
		return busy.isAfter(now) ? Duration.between(now, busy) : Duration.ZERO;
	}

	/**
	 * The share of the cap handed out over the last {@value #WINDOW_SECONDS} seconds,
	 * this one included.
	 */
	synchronized double usedShare() {
		long now = this.clock.instant().getEpochSecond();
		long total = 0;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			if (this.grantedSecond[i] > now - WINDOW_SECONDS && this.grantedSecond[i] <= now) {
				total += this.granted[i];
			}
		}
		return total / (this.maxRequestsPerSecond * WINDOW_SECONDS);
	}

	private void count(long second) {
		int i = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
		if (this.grantedSecond[i] != second) {
			this.grantedSecond[i] = second;
			this.granted[i] = 0;
		}
		this.granted[i]++;
	}

	/** The earliest instant the next request may be sent at, pauses aside. */
	synchronized Instant nextSlot() {
		return this.nextSlot;
	}

	private static Instant latest(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	/** How the gate waits for a slot. */
	@FunctionalInterface
	interface Sleeper {

		void sleep(Duration wait) throws InterruptedException;

	}

}
