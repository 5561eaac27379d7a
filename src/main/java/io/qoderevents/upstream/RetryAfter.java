package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads {@code Retry-After}: delay seconds or an HTTP date; null when absent or
 * unreadable. Capped at an hour.
 */
final class RetryAfter {

	private static final Duration MAX = Duration.ofHours(1);

	private RetryAfter() {
	}

	static Duration parse(String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		Duration wait;
		try {
			wait = Duration.ofSeconds(Long.parseLong(trimmed));
		}
		catch (NumberFormatException notSeconds) {
			try {
				ZonedDateTime date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
				wait = Duration.between(clock.instant(), date.toInstant());
			}
			catch (DateTimeParseException notDate) {
				return null;
			}
		}
		if (wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(MAX) > 0) ? MAX : wait;
	}

}
