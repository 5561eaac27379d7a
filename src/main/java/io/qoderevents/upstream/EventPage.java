package io.qoderevents.upstream;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One page of a session's events.
 *
 * @param events the page's {@code data}, in list order
 * @param firstId id of the first event, or null for an empty page
 * @param lastId id of the last event, or null for an empty page
 * @param hasMore whether more events follow
 * @param nextPage the newer opaque cursor, when the upstream sends one
 * @param requestId the upstream's request id
 * @param extra page fields this version of the service does not know
 */
public record EventPage(List<UpstreamEvent> events, String firstId, String lastId, boolean hasMore, String nextPage,
		String requestId, Map<String, JsonNode> extra) {
}
