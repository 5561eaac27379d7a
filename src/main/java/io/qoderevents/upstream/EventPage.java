package io.qoderevents.upstream;

import java.util.List;

/**
 * One page of a session's events.
 *
 * @param events the page's {@code data}, in list order
 * @param lastId id of the last event, or null for an empty page
 * @param hasMore whether more events follow
 * @param requestId the upstream's request id
 */
public record EventPage(List<UpstreamEvent> events, String lastId, boolean hasMore, String requestId) {
}
