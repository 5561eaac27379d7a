package io.qoderevents.upstream;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who a session belongs to, as its session object says: its agent, environment and
 * metadata. A field of the wrong shape reads as null and is named in {@code malformed},
 * so the snapshot is still kept.
 *
 * @param agentId {@code agent.id}, or the older plain {@code agent_id}, or null
 * @param agentName {@code agent.name}, or null
 * @param agentVersion {@code agent.version} as text (a number as written), or null
 * @param environmentId {@code environment_id}, or null
 * @param metadata the {@code metadata} object as JSON text, its values as given (strings
 * as a rule; any other value is kept as it came), or null without an object
 * @param malformed the fields present with a shape the upstream does not document
 * ({@code agent}, {@code agent_id}, {@code environment_id}, {@code metadata}: not an
 * object, or with a NUL character PostgreSQL's jsonb refuses), read as null
 */
public record SessionAttribution(String agentId, String agentName, String agentVersion, String environmentId,
		String metadata, List<String> malformed) {

	private static final JsonMapper MAPPER = JsonMapper.shared();

	/** No attribution at all. */
	public static final SessionAttribution NONE = new SessionAttribution(null, null, null, null, null, List.of());

	static SessionAttribution of(JsonNode session) {
		List<String> malformed = new ArrayList<>();
		JsonNode agent = present(session.get("agent"));
		String agentId = null;
		String agentName = null;
		String agentVersion = null;
		if (agent != null && agent.isObject()) {
			agentId = text(agent.get("id"), "agent", malformed);
			agentName = text(agent.get("name"), "agent", malformed);
			agentVersion = scalar(agent.get("version"), malformed);
		}
		else if (agent != null) {
			malformed.add("agent");
		}
		if (agentId == null) {
			agentId = text(session.get("agent_id"), "agent_id", malformed);
		}
		String environmentId = text(session.get("environment_id"), "environment_id", malformed);
		JsonNode metadata = present(session.get("metadata"));
		String metadataJson = (metadata != null && metadata.isObject()) ? MAPPER.writeValueAsString(metadata) : null;
		if (metadata != null && (metadataJson == null || metadataJson.contains("\\u0000"))) {
			malformed.add("metadata");
			metadataJson = null;
		}
		return new SessionAttribution(agentId, agentName, agentVersion, environmentId, metadataJson,
				List.copyOf(malformed));
	}

	private static JsonNode present(JsonNode node) {
		return (node == null || node.isNull() || node.isMissingNode()) ? null : node;
	}

	private static String text(JsonNode node, String field, List<String> malformed) {
		JsonNode value = present(node);
		if (value == null) {
			return null;
		}
		if (!value.isString()) {
			addOnce(malformed, field);
			return null;
		}
		return value.asString();
	}

	/** A version may be a number or a string; objects and arrays are malformed. */
	private static String scalar(JsonNode node, List<String> malformed) {
		JsonNode value = present(node);
		if (value == null) {
			return null;
		}
		if (value.isString()) {
			return value.asString();
		}
		if (value.isNumber() || value.isBoolean()) {
			return value.toString();
		}
		addOnce(malformed, "agent");
		return null;
	}

	private static void addOnce(List<String> malformed, String field) {
		if (!malformed.contains(field)) {
			malformed.add(field);
		}
	}

}
