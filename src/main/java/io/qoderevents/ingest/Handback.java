package io.qoderevents.ingest;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * Hands a session leased outside a poll (a live tail's stream) back to polling, with the
 * bookkeeping a poll's end does.
 */
@Component
public class Handback {

	private final JdbcLeaseRepository leases;

	private final Clock clock;

	Handback(JdbcLeaseRepository leases, Clock clock) {
		this.leases = leases;
		this.clock = clock;
	}

	/**
	 * Releases the lease as a successful poll does and schedules the next poll.
	 * @param stored whether events were stored (the session is active now)
	 * @param completedNow whether the session completed now
	 * @param satisfied whether the read also answers a sync requested meanwhile
	 * @param delay when the session is due again
	 */
	public void finish(String sessionId, String owner, boolean stored, boolean completedNow, boolean satisfied,
			Duration delay) {
		this.leases.finish(sessionId, owner, stored ? this.clock.instant() : null, completedNow, satisfied, delay);
	}

	/** Releases the lease without counting a failure; due again after {@code delay}. */
	public void defer(String sessionId, String owner, Duration delay) {
		this.leases.defer(sessionId, owner, delay);
	}

}
