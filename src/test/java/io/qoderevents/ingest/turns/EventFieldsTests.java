package io.qoderevents.ingest.turns;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Timestamps read without the formatter read as the formatter reads them. */
class EventFieldsTests {

	@ParameterizedTest
	@ValueSource(strings = { "2026-05-18T03:40:48Z", "2026-05-18T03:40:48.1Z", "2026-05-18T03:40:48.123456Z",
			"2026-05-18T03:40:48.123456789Z", "2026-05-18T03:40:48.1234567890Z", "2026-05-18T03:40:48.Z",
			"2026-05-18T03:40:48+08:00", "2026-05-18T03:40Z", "2026-05-18t03:40:48z", "2026-05-18 03:40:48Z",
			"2026-02-29T03:40:48Z", "2024-02-29T03:40:48Z", "2026-13-01T00:00:00Z", "2026-05-18T24:00:00Z",
			"2026-05-18T23:59:60Z", "0000-01-01T00:00:00Z", "+12026-05-18T03:40:48Z", "2026-05-18T03:40:4aZ",
			"2026-05-18T03:40:48.12a4Z", "-026-05-18T03:40:48Z", "", "yesterday" })
	void timestampWhenTextGivenThenAsTheFormatterReadsIt(String text) {
		assertThat(EventFields.timestamp(text)).isEqualTo(reference(text));
	}

	private static OffsetDateTime reference(String text) {
		try {
			return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
