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
 * session with evidence of activity (changed since its last poll, running upstream, or
 * events stored on its last poll or lately), then the backlog of first reads and idle
 * re-reads, each class longest overdue first; the backlog is owed a share of every claim.
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

	/**
	 * A newly tracked session the upstream last updated longer ago than this starts on
	 * the idle schedule after its first read.
	 */
	private static final Duration RECENTLY_ACTIVE = Duration.ofHours(1);

	/** The vendor asks for at least this between two pages of one traversal. */
	private static final Duration MIN_PAGE_INTERVAL = Duration.ofMillis(100);

	private final Duration pollInterval;

	private final Duration idlePollInterval;

	private final Duration statusFreshFor;

	private final Duration fullSweepInterval;

	private final double backlogShare;

	Schedule(Duration pollInterval, Duration idlePollInterval, Duration sweepInterval, Duration fullSweepInterval,
			double backlogShare) {
		this.pollInterval = pollInterval;
		// a sixtieth early, so that a tick's wait and a short budget still read the
		// session
		// within idle-poll-interval
		Duration early = idlePollInterval.minus(idlePollInterval.dividedBy(60));
		this.idlePollInterval = (early.compareTo(pollInterval) > 0) ? early : pollInterval;
		this.statusFreshFor = sweepInterval.multipliedBy(3);
		this.fullSweepInterval = fullSweepInterval;
		this.backlogShare = backlogShare;
	}

	public static Schedule of(QoderProperties.Ingest ingest) {
		return new Schedule(ingest.pollInterval(), ingest.idlePollInterval(), ingest.sweepInterval(),
				ingest.fullSweepInterval(), ingest.backlogShare());
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

	/**
	 * Since when stored events still count as evidence of activity for the claim's order:
	 * as long as {@link #afterPoll} keeps the session on {@code poll-interval}.
	 */
	Instant activeSince(Instant now) {
		return now.minus(this.pollInterval.multipliedBy(BACKOFF_DIVISOR));
	}

	/**
	 * When a poll that stored events says the session was last active: now, unless it was
	 * the session's first read and the upstream last updated it more than an hour ago,
	 * then that update, so that an old session starts on the idle schedule.
	 * @param firstReadUpdatedAt the upstream's {@code updated_at} when this was the
	 * session's first read, else null
	 */
	Instant activeAfterStoring(Instant now, Instant firstReadUpdatedAt) {
		if (firstReadUpdatedAt != null && firstReadUpdatedAt.plus(RECENTLY_ACTIVE).isBefore(now)) {
			return firstReadUpdatedAt;
		}
		return now;
	}

	/**
	 * How a claim of {@code limit} sessions splits between the sessions with evidence of
	 * activity and the backlog: the backlog is owed {@code backlog-share} of every slot
	 * claimed, and gets a slot (first pick of it) whenever a whole one is owed, so that
	 * it progresses even when every claim is of one session. A slot the backlog cannot
	 * use goes to the others, and is not owed again.
	 * @param owed the part of a slot still owed to the backlog after the last claim
	 */
	Split split(int limit, double owed) {
		double due = owed + this.backlogShare * limit;
		int backlog = Math.min(limit, (int) Math.floor(due + 1e-9));
		return new Split(limit - backlog, backlog, Math.max(0, due - backlog));
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

	/**
	 * A claim's slots.
	 *
	 * @param active slots for any due session, evidence of activity first
	 * @param backlog slots for the backlog first, then for any due session
	 * @param owed the part of a slot owed to the backlog after this claim
	 */
	record Split(int active, int backlog, double owed) {
	}

}
