package io.qoderevents.demo;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON text helpers of the simulator, which never re-serializes stored events. */
final class Json {

	private static final JsonMapper mapper = JsonMapper.shared();

	private Json() {
	}

	static ObjectNode object() {
		return mapper.createObjectNode();
	}

	static String write(JsonNode node) {
		return mapper.writeValueAsString(node);
	}

	/** The value as a JSON string literal, or {@code null}. */
	static String quote(String value) {
		return (value != null) ? mapper.writeValueAsString(value) : "null";
	}

	/** The parsed text, or null when it is not JSON. */
	static JsonNode tree(String json) {
		try {
			return mapper.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * A top-level string field of a JSON object text, or {@code null} if absent, not a
	 * string or not JSON.
	 */
	static String field(String json, String name) {
		try {
			JsonNode value = mapper.readTree(json).path(name);
			return value.isString() ? value.asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
