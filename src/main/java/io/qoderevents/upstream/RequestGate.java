package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import io.qoderevents.config.QoderProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The pace of upstream requests: a request-rate cap, and pauses the upstream asks for
 * (429 {@code Retry-After}) or that a rejected token calls for. Every request of the
 * client passes here. The cap and the pauses are the token's {@link RequestBudget},
 * shared by every instance on the database; the gate takes a few slots of it at a time (a
 * tenth of a second of the cap), never more than {@link #HORIZON} ahead (what a dying
 * instance leaves unused), and hands them out in this process.
 */
@Component
class RequestGate {

	private static final Log logger = LogFactory.getLog(RequestGate.class);

	private static final int WINDOW_SECONDS = 10;

	/** How old the news of the shared pause may be when a request is sent. */
	private static final Duration PAUSE_NEWS = Duration.ofMillis(300);

	/**
	 * How far ahead this instance reserves: what a dying instance leaves unused, and how
	 * late it may learn of a pause.
	 */
	private static final Duration HORIZON = Duration.ofMillis(200);

	private final Clock clock;

	private final Duration interval;

	private final int batch;

	private final Sleeper sleeper;

	private final RequestBudget budget;

	private final RequestBudget fallback;

	/** The slots reserved and not yet handed out, earliest first. */
	private final Deque<Instant> held = new ArrayDeque<>();

	private Instant nextSlot = Instant.EPOCH;

	private Instant pausedUntil = Instant.EPOCH;

	/** The end of the last batch this instance reserved. */
	private Instant reservedUntil = Instant.EPOCH;

	/** When the budget last told this gate of its pause. */
	private Instant pauseKnownAt = Instant.EPOCH;

	/**
	 * Slots handed out per second of the last {@value #WINDOW_SECONDS}, by epoch second.
	 */
	private final long[] granted = new long[WINDOW_SECONDS];

	private final long[] grantedSecond = new long[WINDOW_SECONDS];

	private final double maxRequestsPerSecond;

	@Autowired
	RequestGate(Clock clock, QoderProperties properties, JdbcRequestBudgetRepository budget) {
		this(clock, properties.upstream().maxRequestsPerSecond(), (wait) -> TimeUnit.NANOSECONDS.sleep(wait.toNanos()),
				budget);
	}

	/** A gate whose budget is this process's alone. */
	RequestGate(Clock clock, double maxRequestsPerSecond, Sleeper sleeper) {
		this(clock, maxRequestsPerSecond, sleeper, new LocalRequestBudget(clock));
	}

	RequestGate(Clock clock, double maxRequestsPerSecond, Sleeper sleeper, RequestBudget budget) {
		this.clock = clock;
		this.maxRequestsPerSecond = maxRequestsPerSecond;
		this.interval = Duration.ofNanos((long) (1_000_000_000L / maxRequestsPerSecond));
		this.batch = Math.max(1, (int) (maxRequestsPerSecond / 10));
		this.sleeper = sleeper;
		this.budget = budget;
		this.fallback = new LocalRequestBudget(clock);
	}

	/**
	 * Waits for the next request slot.
	 * @param maxWait the longest wait worth it; a longer pause answers false at once and
	 * reserves nothing
	 * @return whether a request may be sent now: no pause is in force when the slot
	 * comes, even one that began while this caller waited for it
	 */
	boolean acquire(Duration maxWait) throws InterruptedException {
		while (true) {
			Instant slot;
			Duration wait;
			synchronized (this) {
				Instant now = this.clock.instant();
				if (this.pausedUntil.isAfter(now.plus(maxWait))) {
					return false;
				}
				slot = heldSlot(now);
				Instant ahead = this.reservedUntil.minus(HORIZON);
				if (slot == null && ahead.isAfter(now)) {
					// this instance's slots reach far enough already: what the budget
					// says of a pause then stays fresh
					wait = Duration.between(now, ahead);
				}
				else {
					if (slot == null) {
						slot = reserve(maxWait);
						if (slot == null) {
							return false;
						}
						now = this.clock.instant();
					}
					wait = now.isBefore(slot) ? Duration.between(now, slot) : Duration.ZERO;
				}
			}
			if (!wait.isZero()) {
				this.sleeper.sleep(wait);
			}
			if (slot != null && sendable(slot)) {
				return true;
			}
		}
	}

	/**
	 * Whether no pause is in force now, as the budget told at most {@link #PAUSE_NEWS}
	 * ago: a pause another instance began while this one waited for its slot holds here
	 * too. Counts the slot when it is.
	 */
	private synchronized boolean sendable(Instant slot) {
		Instant now = this.clock.instant();
		if (this.pauseKnownAt.isBefore(now.minus(PAUSE_NEWS))) {
			try {
				Duration pausedFor = this.budget.pausedFor();
				now = this.clock.instant();
				this.pausedUntil = pauseEnd(now, pausedFor);
				this.pauseKnownAt = now;
			}
			catch (DataAccessException ex) {
				logger.warn("The shared request budget is out of reach: " + ex.getMessage());
			}
		}
		if (this.pausedUntil.isAfter(now)) {
			return false;
		}
		count(slot.getEpochSecond());
		return true;
	}

	/**
	 * The next slot already held, if still good: not under a pause, nor gone by (a slot
	 * sent late could crowd the next instance's).
	 */
	private Instant heldSlot(Instant now) {
		Instant stale = now.minus(this.interval.dividedBy(4));
		while (!this.held.isEmpty()) {
			Instant slot = this.held.poll();
			if (!slot.isBefore(this.pausedUntil) && !slot.isBefore(stale)) {
				return slot;
			}
		}
		return null;
	}

	/** Reserves a batch of slots and keeps all but the first, or null if refused. */
	private Instant reserve(Duration maxWait) {
		RequestBudget.Reservation reservation = reservation(maxWait);
		Instant now = this.clock.instant();
		this.pauseKnownAt = now;
		this.pausedUntil = pauseEnd(now, reservation.pausedFor());
		this.nextSlot = latest(this.nextSlot, now.plus(reservation.busyFor()));
		if (!reservation.granted()) {
			return null;
		}
		Instant first = now.plus(reservation.firstIn());
		this.reservedUntil = first.plus(this.interval.multipliedBy(this.batch));
		for (int i = 1; i < this.batch; i++) {
			this.held.add(first.plus(this.interval.multipliedBy(i)));
		}
		return first;
	}

	private RequestBudget.Reservation reservation(Duration maxWait) {
		try {
			return this.budget.reserve(this.batch, this.interval, maxWait);
		}
		catch (DataAccessException ex) {
			logger.warn("The shared request budget is out of reach, pacing this instance alone: " + ex.getMessage());
			return this.fallback.reserve(this.batch, this.interval, maxWait);
		}
	}

	/**
	 * Sends nothing before the given instant (a later pause already in force is kept), in
	 * this instance and every other one of the token.
	 */
	synchronized void pauseUntil(Instant until) {
		this.pausedUntil = latest(this.pausedUntil, until);
		Duration wait = Duration.between(this.clock.instant(), until);
		if (wait.isNegative()) {
			return;
		}
		try {
			this.budget.pauseFor(wait);
		}
		catch (DataAccessException ex) {
			logger.warn("The pause could not be shared with other instances: " + ex.getMessage());
		}
		this.fallback.pauseFor(wait);
	}

	/** Lifts a pause early (the token was replaced, or a test), for every instance. */
	synchronized void resume() {
		this.pausedUntil = Instant.EPOCH;
		this.reservedUntil = Instant.EPOCH;
		try {
			this.budget.resume();
		}
		catch (DataAccessException ex) {
			logger.warn("The end of the pause could not be shared with other instances: " + ex.getMessage());
		}
		this.fallback.resume();
	}

	synchronized Instant pausedUntil() {
		return this.pausedUntil;
	}

	/**
	 * How long the slots already handed out, or a pause, keep the client busy from now,
	 * as the budget last told.
	 */
	synchronized Duration backlog() {
		Instant now = this.clock.instant();
		Instant busy = latest(this.nextSlot, this.pausedUntil);
		return busy.isAfter(now) ? Duration.between(now, busy) : Duration.ZERO;
	}

	/**
	 * The share of the cap this instance handed out over the last
	 * {@value #WINDOW_SECONDS} seconds, this one included.
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
		return this.held.isEmpty() ? this.nextSlot : this.held.peek();
	}

	/** When a pause lasting {@code pausedFor} from {@code now} ends, EPOCH if none. */
	private static Instant pauseEnd(Instant now, Duration pausedFor) {
		return (pausedFor.isNegative() || pausedFor.isZero()) ? Instant.EPOCH : now.plus(pausedFor);
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
