package io.qoderevents.ingest;

/**
 * A poll stored the start of a run of the session, which is still running: the live tail
 * may take it over at once instead of at its next tick. Published on the poll's thread.
 *
 * @param sessionId the session
 */
public record RunningSessionPolled(String sessionId) {
}
