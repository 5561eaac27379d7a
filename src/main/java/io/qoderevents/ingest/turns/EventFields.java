package io.qoderevents.ingest.turns;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

import io.qoderevents.upstream.UpstreamEvent;
import io.qoderevents.usage.UsageCounters;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the reports need out of an upstream event, tolerating every variant the
 * upstream has shipped.
 */
final class EventFields {

	static final Set<String> RETRY_STATUSES = Set.of("retrying", "exhausted", "terminal");

	private static final Pattern UUID = Pattern
		.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");

	private static final Pattern PREFIXED_ID = Pattern.compile("\\b[a-z]+_[0-9A-Za-z]{6,}\\b");

	private static final Pattern HEX = Pattern.compile("\\b[0-9a-fA-F]{12,}\\b");

	private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

	private EventFields() {
	}

	/**
	 * An RFC 3339 timestamp in UTC, or null when absent or unreadable (the raw JSON keeps
	 * it).
	 */
	static OffsetDateTime timestamp(String text) {
		if (text == null) {
			return null;
		}
		OffsetDateTime utc = utcTimestamp(text);
		if (utc != null) {
			return utc;
		}
		try {
			return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * The usual shape {@code yyyy-MM-ddTHH:mm:ss[.f]Z} (1 to 9 fraction digits) read
	 * without a formatter, which costs more per event than the rest of its plan; null for
	 * any other text, which the formatter then reads.
	 */
	private static OffsetDateTime utcTimestamp(String text) {
		int length = text.length();
		if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
				|| (length > 20 && text.charAt(19) != '.')) {
			return null;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 7);
		int day = number(text, 8, 10);
		int hour = number(text, 11, 13);
		int minute = number(text, 14, 16);
		int second = number(text, 17, 19);
		int nanos = 0;
		if (length > 20) {
			int fraction = number(text, 20, length - 1);
			if (fraction < 0) {
				return null;
			}
			nanos = fraction;
			for (int digits = length - 21; digits < 9; digits++) {
				nanos *= 10;
			}
		}
		if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
			return null;
		}
		try {
			return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.UTC);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	/** The decimal digits from {@code start} to {@code end}, or -1. */
	private static int number(String text, int start, int end) {
		int value = 0;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/**
	 * A token count: a non-negative integer, or a string holding one. Anything else
	 * (missing, null, negative, fractional, text) counts 0 so that one odd event never
	 * fails a report.
	 */
	static long tokens(JsonNode usage, String field) {
		JsonNode value = (usage != null && usage.isObject()) ? usage.get(field) : null;
		long count = 0;
		if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
			count = value.asLong();
		}
		else if (value != null && value.isString()) {
			try {
				count = Long.parseLong(value.asString().trim());
			}
			catch (NumberFormatException ex) {
				count = 0;
			}
		}
		return Math.max(count, 0);
	}

	/** The four token counters of a {@code usage} or {@code model_usage} object. */
	static UsageCounters tokens(JsonNode usage) {
		return new UsageCounters(tokens(usage, "input_tokens"), tokens(usage, "output_tokens"),
				tokens(usage, "cache_read_input_tokens"), tokens(usage, "cache_creation_input_tokens"), BigDecimal.ZERO,
				0);
	}

	/**
	 * {@code model_usage.credits} of a model span: a non-negative decimal or a string
	 * holding one, read exactly; anything else (missing, null, negative, text) counts 0.
	 */
	static BigDecimal credits(JsonNode modelUsage) {
		BigDecimal credits = UpstreamEvent.decimal(modelUsage, "credits");
		return (credits != null && credits.signum() > 0) ? credits : BigDecimal.ZERO;
	}

	/**
	 * {@code stop_reason} of an idle event: an object's {@code type}, or a plain string;
	 * null otherwise.
	 */
	static String stopReason(JsonNode event) {
		JsonNode reason = event.get("stop_reason");
		if (reason != null && reason.isString()) {
			return reason.asString();
		}
		return UpstreamEvent.text(reason, "type");
	}

	/**
	 * {@code retry_status.type} at the event's top level, else inside {@code error};
	 * {@code unknown} otherwise.
	 */
	static String retryStatus(JsonNode event) {
		String status = UpstreamEvent.text(event.path("retry_status"), "type");
		if (status == null) {
			status = UpstreamEvent.text(event.path("error").path("retry_status"), "type");
		}
		return (status != null && RETRY_STATUSES.contains(status)) ? status : "unknown";
	}

	/**
	 * The shape of an error message with its variable parts (ids, numbers) replaced, so
	 * that "timed out after 31s (req_a1b2c3d4)" and "timed out after 30s (req_ffee0011)"
	 * fall into one group.
	 */
	static String messagePattern(String message) {
		if (message == null || message.isBlank()) {
			return "";
		}
		String pattern = UUID.matcher(message).replaceAll("<id>");
		pattern = PREFIXED_ID.matcher(pattern).replaceAll("<id>");
		pattern = HEX.matcher(pattern).replaceAll("<id>");
		pattern = NUMBER.matcher(pattern).replaceAll("<n>");
		return (pattern.length() > 500) ? pattern.substring(0, 500) : pattern;
	}

}
