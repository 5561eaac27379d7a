package io.qoderevents.upstream;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * One element of a page's {@code data}, as received. The envelope fields are read while
 * the page is parsed; the whole tree is parsed only when asked for (usage and error
 * events), which keeps ingestion cheap.
 *
 * @param bytes the element's JSON text exactly as the upstream sent it, in UTF-8: it is
 * stored as it came, never decoded to a String on the way (see {@link #raw()})
 * @param object whether the element is a JSON object
 * @param id the {@code id} string, or null
 * @param type the {@code type} string, or null
 * @param turnId the {@code turn_id} string, or null
 * @param createdAt the {@code created_at} string, or null
 * @param processedAt the {@code processed_at} string, or null
 * @param sessionThreadId the {@code session_thread_id} string of a thread event, or null
 */
public record UpstreamEvent(byte[] bytes, boolean object, String id, String type, String turnId, String createdAt,
		String processedAt, String sessionThreadId) {

	/**
	 * An element read back from its stored JSON text (a re-derivation of stored events),
	 * with the envelope read as a page would.
	 */
	public static UpstreamEvent of(String raw) {
		JsonNode json = PageParser.tree(raw);
		return new UpstreamEvent(raw.getBytes(StandardCharsets.UTF_8), json.isObject(), text(json, "id"),
				text(json, "type"), text(json, "turn_id"), text(json, "created_at"), text(json, "processed_at"),
				text(json, "session_thread_id"));
	}

	/** An element that is not JSON, kept as text. */
	public static UpstreamEvent notJson(String raw) {
		return new UpstreamEvent(raw.getBytes(StandardCharsets.UTF_8), false, null, null, null, null, null, null);
	}

	/** Equal when the same text with the same envelope. */
	@Override
	public boolean equals(Object other) {
		return other instanceof UpstreamEvent that && Arrays.equals(this.bytes, that.bytes)
				&& this.object == that.object && Objects.equals(this.id, that.id)
				&& Objects.equals(this.type, that.type) && Objects.equals(this.turnId, that.turnId)
				&& Objects.equals(this.createdAt, that.createdAt) && Objects.equals(this.processedAt, that.processedAt)
				&& Objects.equals(this.sessionThreadId, that.sessionThreadId);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.bytes) + Objects.hash(this.object, this.id, this.type, this.turnId,
				this.createdAt, this.processedAt, this.sessionThreadId);
	}

	@Override
	public String toString() {
		return "UpstreamEvent[id=" + this.id + ", type=" + this.type + ", raw=" + raw() + "]";
	}

	/** The element's JSON text, decoded. */
	public String raw() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

	/** The parsed element. */
	public JsonNode json() {
		return PageParser.tree(this.bytes);
	}

	/**
	 * Only these top-level fields of the element, parsed (an object node without the
	 * others): what a usage event needs, at a fraction of {@link #json()}'s cost.
	 */
	public JsonNode fields(Set<String> names) {
		return PageParser.fields(this.bytes, names);
	}

	/**
	 * A decimal field of an object node, read exactly: a JSON number or a string holding
	 * one; null when absent or not a decimal.
	 */
	public static BigDecimal decimal(JsonNode node, String field) {
		JsonNode value = (node != null && node.isObject()) ? node.get(field) : null;
		if (value != null && value.isNumber()) {
			return value.decimalValue();
		}
		if (value != null && value.isString()) {
			try {
				return new BigDecimal(value.asString().trim());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
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
