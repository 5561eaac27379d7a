package io.qoderevents.ingest;

import java.time.OffsetDateTime;

/**
 * A session leased to this instance.
 *
 * @param sessionId the session
 * @param cursor the after_id of its next page
 * @param consecutiveFailures failed polls so far
 * @param activeAt when the session last produced events, else when it was first tracked
 * @param status the upstream status last read, or null
 * @param statusReadAt when it was read, or null
 * @param updatedAt the upstream's {@code updated_at} last read, or null
 * @param snapshotStale whether the session's snapshot is older than its last stored
 * events
 * @param firstRead whether the session was never read
 */
record Claim(String sessionId, String cursor, int consecutiveFailures, OffsetDateTime activeAt, String status,
		OffsetDateTime statusReadAt, OffsetDateTime updatedAt, boolean snapshotStale, boolean firstRead) {

	/**
	 * What a claim takes as due.
	 *
	 * @param dueBy sessions without evidence of activity due by then
	 * @param activeDueBy sessions with evidence of activity due by then
	 * @param activeSince stored events since then count as evidence of activity (null:
	 * {@code dueBy})
	 */
	record Due(OffsetDateTime dueBy, OffsetDateTime activeDueBy, OffsetDateTime activeSince) {
	}

}
