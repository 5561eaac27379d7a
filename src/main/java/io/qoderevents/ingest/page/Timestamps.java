package io.qoderevents.ingest.page;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Timestamps as the text PostgreSQL reads, for statement parameters and COPY data alike.
 */
final class Timestamps {

	private Timestamps() {
	}

	/**
	 * Binds a timestamp as text (see {@link #text}), without the driver's costly
	 * conversion. The statement casts the parameter to {@code timestamptz}.
	 */
	static void bind(PreparedStatement statement, int index, OffsetDateTime at) throws SQLException {
		statement.setString(index, text(at));
	}

	/**
	 * A timestamp as PostgreSQL reads it: UTC, microseconds rounded half up; years beyond
	 * 9999 with more digits, years before 1 as {@code BC} (year 0 is 1 BC); null for
	 * null.
	 */
	static String text(OffsetDateTime at) {
		if (at == null) {
			return null;
		}
		OffsetDateTime utc = at.withOffsetSameInstant(ZoneOffset.UTC);
		if (utc.getNano() % 1000 > 499) {
			utc = utc.plusNanos(1000);
		}
		if (utc.getYear() < 1 || utc.getYear() > 9999) {
			int year = utc.getYear();
			return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%06d+00%s", (year < 1) ? 1 - year : year,
					utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond(),
					utc.getNano() / 1000, (year < 1) ? " BC" : "");
		}
		char[] text = "0000-00-00 00:00:00.000000+00".toCharArray();
		digits(text, 0, 4, utc.getYear());
		digits(text, 5, 2, utc.getMonthValue());
		digits(text, 8, 2, utc.getDayOfMonth());
		digits(text, 11, 2, utc.getHour());
		digits(text, 14, 2, utc.getMinute());
		digits(text, 17, 2, utc.getSecond());
		digits(text, 20, 6, utc.getNano() / 1000);
		return new String(text);
	}

	private static void digits(char[] text, int at, int width, int value) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

}
