package io.qoderevents.upstream;

import tools.jackson.databind.JsonNode;

/**
 * One element of a page's {@code data}, as received.
 *
 * @param raw the element's JSON text exactly as the upstream sent it
 * @param json the parsed element (any JSON value: the upstream may send a non-object)
 */
public record UpstreamEvent(String raw, JsonNode json) {

	/** The event id, or null when absent or not a string. */
	public String id() {
		return text(this.json, "id");
	}

	/** The event type, or null when absent or not a string. */
	public String type() {
		return text(this.json, "type");
	}

	/** A string field of an object node, or null. */
	public static String text(JsonNode node, String field) {
		if (node == null || !node.isObject()) {
			return null;
		}
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

}
