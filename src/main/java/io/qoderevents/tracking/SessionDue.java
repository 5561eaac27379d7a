package io.qoderevents.tracking;

/**
 * Published when a tracked session was made due ahead of its schedule: a sync request (an
 * API call or a webhook) or a newly tracked session. Ingest polls it without waiting for
 * the next tick.
 *
 * @param sessionId the session
 */
public record SessionDue(String sessionId) {
}
