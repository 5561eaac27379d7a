package io.qoderevents.web;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The {@code since} (inclusive) and {@code until} (exclusive) filters of a request, each
 * optional.
 *
 * @param since the first instant included, or null
 * @param until the first instant excluded, or null
 */
public record TimeRange(OffsetDateTime since, OffsetDateTime until) {

	/**
	 * Parses RFC 3339 timestamps; a {@code +} decoded to a space in an unencoded offset
	 * is read as {@code +}.
	 * @throws InvalidParameterException naming the malformed parameter, or {@code until}
	 * when it is not after {@code since}
	 */
	public static TimeRange of(String since, String until) {
		TimeRange range = new TimeRange(parse("since", since), parse("until", until));
		if (range.since() != null && range.until() != null && !range.until().isAfter(range.since())) {
			throw new InvalidParameterException("until", "until must be after since");
		}
		return range;
	}

	/**
	 * Adds the SQL conditions of this range on {@code column} ({@code :since} inclusive,
	 * {@code :until} exclusive) and their parameters.
	 */
	public void addConditions(String column, List<String> conditions, Map<String, Object> params) {
		if (this.since != null) {
			conditions.add(column + " >= :since");
			params.put("since", this.since);
		}
		if (this.until != null) {
			conditions.add(column + " < :until");
			params.put("until", this.until);
		}
	}

	private static OffsetDateTime parse(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value.trim().replace(' ', '+')).withOffsetSameInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidParameterException(field,
					field + " must be an RFC 3339 timestamp such as 2026-05-18T03:40:48Z");
		}
	}

}
