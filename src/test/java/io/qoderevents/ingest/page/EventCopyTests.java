package io.qoderevents.ingest.page;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.qoderevents.ingest.turns.Rows.EventRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data of the events' COPY in PostgreSQL's text format: one line per row, columns
 * separated by tabs, backslashes and line breaks escaped, nulls as {@code \N}, and each
 * payload as the bytes the upstream sent.
 */
class EventCopyTests {

	private static final String SESSION = "sess_0123456789abcdef0123456789abcdef";

	private static final OffsetDateTime AT = OffsetDateTime.parse("2026-05-18T03:40:48.888851Z");

	private static final String PAYLOAD = "{\"id\":\"evt_1\"}";

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void ofWhenRowGivenThenOneEscapedLine(CopyCase line) {
		EventCopy copy = EventCopy.of(List.of(line.row()));
		byte[] expected = line.line().getBytes(StandardCharsets.UTF_8);
		assertThat(copy.length()).isEqualTo(expected.length);
		assertThat(Arrays.copyOf(copy.data(), copy.length())).isEqualTo(expected);
	}

	static Stream<CopyCase> rows() {
		return Stream.of(
				new CopyCase("the columns in the statement's order, tab separated, the line ended by a newline",
						row("evt_1", "turn_a", "sthr_1", AT, PAYLOAD),
						"evt_1\t" + SESSION + "\t7\tuser.message\tturn_a\tsthr_1\t2026-05-18 03:40:48.888851+00\t"
								+ PAYLOAD + "\n"),
				new CopyCase("a null turn, thread and time are \\N", row("evt_1", null, null, null, PAYLOAD),
						"evt_1\t" + SESSION + "\t7\tuser.message\t\\N\t\\N\t\\N\t" + PAYLOAD + "\n"),
				new CopyCase("a text that reads \\N is escaped, an empty text stays empty: neither is null",
						row("", "\\N", "", AT, PAYLOAD),
						"\t" + SESSION + "\t7\tuser.message\t\\\\N\t\t2026-05-18 03:40:48.888851+00\t" + PAYLOAD
								+ "\n"),
				new CopyCase("tabs, newlines, carriage returns and backslashes in text columns are escaped",
						row("evt_a\tb\nc\rd\\e", "turn_a", null, AT, PAYLOAD),
						"evt_a\\tb\\nc\\rd\\\\e\t" + SESSION + "\t7\tuser.message\tturn_a\t\\N\t"
								+ "2026-05-18 03:40:48.888851+00\t" + PAYLOAD + "\n"),
				new CopyCase("whitespace of a pretty-printed payload is escaped, its other bytes kept",
						row("evt_1", null, null, AT, "{\n\t\"id\": \"evt_1\"\r\n}"),
						prefix() + "{\\n\\t\"id\": \"evt_1\"\\r\\n}\n"),
				new CopyCase("every backslash of the payload's JSON escapes is doubled",
						row("evt_1", null, null, AT, "{\"text\":\"a\\\"b\\\\c\\/d\\u00e9\"}"),
						prefix() + "{\"text\":\"a\\\\\"b\\\\\\\\c\\\\/d\\\\u00e9\"}\n"),
				new CopyCase("an escaped NUL reaches the database as its six characters, escaped like any backslash",
						row("evt_1", null, null, AT, "{\"text\":\"\\u0000\"}"),
						prefix() + "{\"text\":\"\\\\u0000\"}\n"),
				new CopyCase("UTF-8 beyond ASCII passes through as the same bytes, in text columns and the payload",
						row("evt_é", "turn_🙂", null, AT, "{\"text\":\"café 🙂 数据\"}"),
						"evt_é\t" + SESSION + "\t7\tuser.message\tturn_🙂\t\\N\t2026-05-18 03:40:48.888851+00\t"
								+ "{\"text\":\"café 🙂 数据\"}\n"),
				new CopyCase("a time is written in UTC with microseconds",
						row("evt_1", null, null, OffsetDateTime.parse("2026-05-18T11:40:48+08:00"), PAYLOAD),
						line("2026-05-18 03:40:48.000000+00")),
				new CopyCase("nanoseconds of 500 and more round the microsecond up",
						row("evt_1", null, null, OffsetDateTime.parse("2026-05-18T03:40:48.888851500Z"), PAYLOAD),
						line("2026-05-18 03:40:48.888852+00")),
				new CopyCase("nanoseconds below 500 round the microsecond down",
						row("evt_1", null, null, OffsetDateTime.parse("2026-05-18T03:40:48.888851499Z"), PAYLOAD),
						line("2026-05-18 03:40:48.888851+00")),
				new CopyCase("a year after 9999 is written with all its digits",
						row("evt_1", null, null, utc(10000, 1, 2, 3), PAYLOAD), line("10000-01-02 03:00:00.000000+00")),
				new CopyCase("a far year after 9999 is written with all its digits",
						row("evt_1", null, null, utc(123456, 12, 31, 23), PAYLOAD),
						line("123456-12-31 23:00:00.000000+00")),
				new CopyCase("year 0 is 1 BC", row("evt_1", null, null, utc(0, 3, 1, 12), PAYLOAD),
						line("0001-03-01 12:00:00.000000+00 BC")),
				new CopyCase("year -44 is 45 BC", row("evt_1", null, null, utc(-44, 3, 15, 0), PAYLOAD),
						line("0045-03-15 00:00:00.000000+00 BC")),
				new CopyCase("year 1 is written as 0001, not BC", row("evt_1", null, null, utc(1, 1, 1, 0), PAYLOAD),
						line("0001-01-01 00:00:00.000000+00")),
				new CopyCase("rounding up the last microsecond of 9999 gives year 10000",
						row("evt_1", null, null, OffsetDateTime.parse("9999-12-31T23:59:59.999999500Z"), PAYLOAD),
						line("10000-01-01 00:00:00.000000+00")),
				new CopyCase(
						"an offset that takes year 10000 back to UTC gives year 9999", row("evt_1", null, null,
								OffsetDateTime.of(10000, 1, 1, 5, 0, 0, 0, ZoneOffset.ofHours(8)), PAYLOAD),
						line("9999-12-31 21:00:00.000000+00")));
	}

	@Test
	void ofWhenNoRowsThenNoData() {
		assertThat(EventCopy.of(List.of()).length()).isZero();
	}

	@Test
	void ofWhenRowsGivenThenTheirLinesInOrder() {
		EventRow first = new EventRow("evt_b", SESSION, 1, "session.status_running", null, null, AT,
				bytes("{\"id\":\"evt_b\"}"));
		EventRow second = new EventRow("evt_a", SESSION, 2, "user.message", "evt_a", null, AT.plusSeconds(1),
				bytes("{\"id\":\"evt_a\"}"));
		EventCopy copy = EventCopy.of(List.of(first, second));
		assertThat(new String(copy.data(), 0, copy.length(), StandardCharsets.UTF_8)).isEqualTo("evt_b\t" + SESSION
				+ "\t1\tsession.status_running\t\\N\t\\N\t2026-05-18 03:40:48.888851+00\t{\"id\":\"evt_b\"}\n"
				+ "evt_a\t" + SESSION
				+ "\t2\tuser.message\tevt_a\t\\N\t2026-05-18 03:40:49.888851+00\t{\"id\":\"evt_a\"}\n");
	}

	@Test
	void ofWhenPayloadBytesGivenThenThoseBytesAreCopiedNotReencoded() {
		byte[] payload = { '{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0xA9, (byte) 0xF0, (byte) 0x9F,
				(byte) 0x99, (byte) 0x82, '\\', 'n', '"', '}' };
		EventCopy copy = EventCopy
			.of(List.of(new EventRow("evt_1", SESSION, 7, "user.message", null, null, AT, payload)));
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		expected.writeBytes(bytes(prefix()));
		expected.writeBytes(new byte[] { '{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0xA9, (byte) 0xF0,
				(byte) 0x9F, (byte) 0x99, (byte) 0x82, '\\', '\\', 'n', '"', '}', '\n' });
		assertThat(Arrays.copyOf(copy.data(), copy.length())).isEqualTo(expected.toByteArray());
	}

	@Test
	void ofWhenEscapesOutgrowTheFirstGuessThenEveryByteIsKept() {
		String backslashes = "\\".repeat(10_000);
		String payload = "{\"t\":\"" + backslashes + "\"}";
		EventCopy copy = EventCopy
			.of(List.of(row("evt_1", null, null, AT, payload), row("evt_2", null, null, AT, PAYLOAD)));
		String text = new String(copy.data(), 0, copy.length(), StandardCharsets.UTF_8);
		assertThat(text).isEqualTo(prefix() + "{\"t\":\"" + backslashes + backslashes + "\"}\n"
				+ prefix().replace("evt_1", "evt_2") + PAYLOAD + "\n");
	}

	private static EventRow row(String id, String turnId, String threadId, OffsetDateTime at, String payload) {
		return new EventRow(id, SESSION, 7, "user.message", turnId, threadId, at, bytes(payload));
	}

	/** The columns before the payload of {@code row("evt_1", null, null, AT, ...)}. */
	private static String prefix() {
		return "evt_1\t" + SESSION + "\t7\tuser.message\t\\N\t\\N\t2026-05-18 03:40:48.888851+00\t";
	}

	/**
	 * The line of {@code row("evt_1", null, null, at, PAYLOAD)} with {@code at}'s text.
	 */
	private static String line(String time) {
		return "evt_1\t" + SESSION + "\t7\tuser.message\t\\N\t\\N\t" + time + "\t" + PAYLOAD + "\n";
	}

	private static OffsetDateTime utc(int year, int month, int day, int hour) {
		return OffsetDateTime.of(year, month, day, hour, 0, 0, 0, ZoneOffset.UTC);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record CopyCase(String rule, EventRow row, String line) {

		@Override
		public String toString() {
			return this.rule;
		}

	}

}
