package io.qoderevents.usage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} (ISO-8601 in UTC, the
 * fraction in groups of three digits), without a formatter: a session's usage carries two
 * per turn, and the formatter's allocations were a quarter of the response's. Years
 * outside 1 to 9999 go through {@code toString}.
 */
class IsoInstantSerializer extends StdSerializer<Instant> {

	IsoInstantSerializer() {
		super(Instant.class);
	}

	@Override
	public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
		generator.writeString(format(value));
	}

	static String format(Instant instant) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
		if (time.getYear() < 1 || time.getYear() > 9999) {
			return instant.toString();
		}
		int nanos = instant.getNano();
		int digits = (nanos == 0) ? 0 : (nanos % 1_000_000 == 0) ? 3 : (nanos % 1000 == 0) ? 6 : 9;
		char[] text = new char[20 + ((digits > 0) ? digits + 1 : 0)];
		put(text, 0, 4, time.getYear());
		text[4] = '-';
		put(text, 5, 2, time.getMonthValue());
		text[7] = '-';
		put(text, 8, 2, time.getDayOfMonth());
		text[10] = 'T';
		put(text, 11, 2, time.getHour());
		text[13] = ':';
		put(text, 14, 2, time.getMinute());
		text[16] = ':';
		put(text, 17, 2, time.getSecond());
		if (digits > 0) {
			text[19] = '.';
			put(text, 20, digits, nanos / ((digits == 3) ? 1_000_000 : (digits == 6) ? 1000 : 1));
		}
		text[text.length - 1] = 'Z';
		return new String(text);
	}

	private static void put(char[] text, int at, int width, int value) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

}
