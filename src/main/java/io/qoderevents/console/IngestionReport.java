package io.qoderevents.console;

import java.time.Instant;
import java.util.Map;

/**
 * How ingestion keeps up, as this instance sees it.
 *
 * @param checkedAt when the report was made
 * @param behindSeconds how long the most overdue session waiting for a poll has waited
 * @param overdueSessions sessions past their poll time and not being polled
 * @param unreadTooLong active sessions unread longer than the schedule allows
 * @param allowedUnreadSeconds the longest the schedule lets an active session go unread
 * @param sessionsByState tracked sessions in each state
 * @param lastSweep the last full sweep of the upstream's session list, or null
 * @param upstream upstream requests per second by purpose, on this instance
 * @param liveStreamsOpen live event streams open on this instance
 */
record IngestionReport(Instant checkedAt, double behindSeconds, long overdueSessions, long unreadTooLong,
		long allowedUnreadSeconds, Map<String, Long> sessionsByState, Sweep lastSweep, Upstream upstream,
		long liveStreamsOpen) {

	/**
	 * The sweep's lease row.
	 *
	 * @param fullAt when the last full sweep ended, or null before the first
	 * @param owner the instance holding or last holding the lease
	 * @param leaseUntil until when it holds it
	 */
	record Sweep(Instant fullAt, String owner, Instant leaseUntil) {
	}

	/**
	 * Upstream requests per second over the window since the rate was last measured.
	 *
	 * @param requestsPerSecond by purpose
	 * @param windowSeconds the window's length
	 * @param budgetUsed the share of the request budget used, 0 to 1
	 */
	record Upstream(Map<String, Double> requestsPerSecond, double windowSeconds, double budgetUsed) {
	}

}
