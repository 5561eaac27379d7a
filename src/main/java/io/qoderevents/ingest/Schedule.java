package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.qoderevents.config.QoderProperties;

/**
 * The schedule's decisions, pure functions of a session's recent history, what the
 * upstream said of it, and the request budget: when a polled session is due again, how
 * many sessions a tick may claim, how fast a sweep pages, and which kind of sweep is due.
 * Who goes first among due sessions is the claim's order: a requested sync, then a
 * session running upstream or changed since its last poll, then the longest overdue.
 */
public final class Schedule {

	/** Upstream statuses of a session that is producing events. */
	static final List<String> RUNNING = List.of("running", "rescheduling", "processing");

	/** {@link #RUNNING} as SQL literals, for statements that order or filter by it. */
	public static final String RUNNING_SQL = RUNNING.stream()
		.map((status) -> "'" + status + "'")
		.collect(Collectors.joining(", "));

	/** The statuses a running-only sweep asks for (the current names only). */
	public static final List<String> SWEPT_STATUSES = List.of("running", "rescheduling");

	/**
	 * A quiet session is polled again after this fraction of the time it has been quiet.
	 */
	private static final int BACKOFF_DIVISOR = 4;

	/** The share of the request cap the pages of one sweep may take. */
	private static final double SWEEP_SHARE = 0.25;

	/** The vendor asks for at least this between two pages of one traversal. */
	private static final Duration MIN_PAGE_INTERVAL = Duration.ofMillis(100);

	private final Duration pollInterval;

	private final Duration idlePollInterval;

	private final Duration statusFreshFor;

	private final Duration fullSweepInterval;

	Schedule(Duration pollInterval, Duration idlePollInterval, Duration sweepInterval, Duration fullSweepInterval) {
		this.pollInterval = pollInterval;
		// a sixtieth early, so that a tick's wait and a short budget still read the
		// session
		// within idle-poll-interval
		Duration early = idlePollInterval.minus(idlePollInterval.dividedBy(60));
		this.idlePollInterval = (early.compareTo(pollInterval) > 0) ? early : pollInterval;
		this.statusFreshFor = sweepInterval.multipliedBy(3);
		this.fullSweepInterval = fullSweepInterval;
	}

	public static Schedule of(QoderProperties.Ingest ingest) {
		return new Schedule(ingest.pollInterval(), ingest.idlePollInterval(), ingest.sweepInterval(),
				ingest.fullSweepInterval());
	}

	/**
	 * How long after a successful poll the session is polled again: every
	 * {@code poll-interval} while the upstream says it is running (a status read within
	 * three sweep intervals) or it produced events within the last four intervals; after
	 * that a quarter of the time it has been quiet, so the interval grows step by step up
	 * to {@code idle-poll-interval} less a sixtieth (59 minutes of an hour).
	 * @param activeAt when the session last produced events (or was first tracked), or
	 * null
	 * @param status the upstream status last read, or null
	 * @param statusReadAt when it was read, or null
	 */
	Duration afterPoll(Instant now, Instant activeAt, String status, Instant statusReadAt) {
		if (running(status, statusReadAt, now) || activeAt == null) {
			return this.pollInterval;
		}
		Duration quiet = Duration.between(activeAt, now);
		return clamp(quiet.dividedBy(BACKOFF_DIVISOR));
	}

	/** Whether the upstream said recently that the session is running. */
	boolean running(String status, Instant statusReadAt, Instant now) {
		return status != null && RUNNING.contains(status) && statusReadAt != null
				&& !statusReadAt.plus(this.statusFreshFor).isBefore(now);
	}

	/**
	 * How many sessions may be claimed now without planning more requests than the cap
	 * allows within {@code window}: every claimed poll costs at least one request, those
	 * in flight one more each, and the slots already handed out (or a pause) come first.
	 * @param backlog how long the handed-out slots keep the client busy
	 * @param inFlight polls claimed and not finished
	 */
	int claimable(double maxRequestsPerSecond, Duration window, Duration backlog, int inFlight) {
		double free = Math.max(0, window.minus(backlog).toNanos() / 1e9);
		return Math.max(0, (int) Math.floor(maxRequestsPerSecond * free) - inFlight);
	}

	/**
	 * The pause between two pages of one sweep, so that a sweep takes at most a quarter
	 * of the cap and never pages faster than the vendor asks.
	 */
	public Duration sweepPageInterval(double maxRequestsPerSecond) {
		Duration share = Duration.ofNanos((long) (1e9 / (maxRequestsPerSecond * SWEEP_SHARE)));
		return (share.compareTo(MIN_PAGE_INTERVAL) > 0) ? share : MIN_PAGE_INTERVAL;
	}

	/**
	 * Whether this sweep lists every session instead of the running ones: none has
	 * completed yet, or the last completed one is older than {@code full-sweep-interval}.
	 * @param lastFull when the last full sweep completed, or null
	 */
	public boolean fullSweepDue(Instant now, Instant lastFull) {
		return lastFull == null || !lastFull.plus(this.fullSweepInterval).isAfter(now);
	}

	private Duration clamp(Duration delay) {
		if (delay.compareTo(this.pollInterval) < 0) {
			return this.pollInterval;
		}
		return (delay.compareTo(this.idlePollInterval) > 0) ? this.idlePollInterval : delay;
	}

}
