package io.qoderevents.usage;

import java.time.OffsetDateTime;

import io.qoderevents.web.TimeRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsageWindowTests {

	private static final String MIN = "-inf";

	private static final String MAX = "inf";

	@ParameterizedTest
	@CsvSource(nullValues = "-", value = {
			// since, until, whole buckets, first edge, last edge
			"-, -, -inf, inf, -inf, -inf, inf, inf",
			"2026-12-01T10:00:00Z, 2026-12-01T11:00:00Z, 2026-12-01T10:00Z, 2026-12-01T11:00Z, 2026-12-01T10:00Z, 2026-12-01T10:00Z, 2026-12-01T11:00Z, 2026-12-01T11:00Z",
			"2026-12-01T10:07:00Z, 2026-12-01T11:20:30Z, 2026-12-01T10:15Z, 2026-12-01T11:15Z, 2026-12-01T10:07Z, 2026-12-01T10:15Z, 2026-12-01T11:15Z, 2026-12-01T11:20:30Z",
			"2026-12-01T10:07:00Z, -, 2026-12-01T10:15Z, inf, 2026-12-01T10:07Z, 2026-12-01T10:15Z, inf, inf",
			"-, 2026-12-01T10:00:00.000001Z, -inf, 2026-12-01T10:00Z, -inf, -inf, 2026-12-01T10:00Z, 2026-12-01T10:00:00.000001Z",
			// inside one bucket: no whole bucket, the range is one edge
			"2026-12-01T10:01:00Z, 2026-12-01T10:14:00Z, -inf, -inf, 2026-12-01T10:01Z, 2026-12-01T10:14Z, -inf, -inf",
			"2026-12-01T10:01:00Z, 2026-12-01T10:15:00Z, -inf, -inf, 2026-12-01T10:01Z, 2026-12-01T10:15Z, -inf, -inf",
			"2026-12-01T10:14:00+08:00, 2026-12-01T10:31:00+08:00, 2026-12-01T02:15Z, 2026-12-01T02:30Z, 2026-12-01T02:14Z, 2026-12-01T02:15Z, 2026-12-01T02:30Z, 2026-12-01T02:31Z" })
	void ofWhenRangeThenWholeQuarterHoursInsideAndTheCutEdges(String since, String until, String wholeSince,
			String wholeUntil, String firstSince, String firstUntil, String lastSince, String lastUntil) {
		UsageWindow window = UsageWindow.of(TimeRange.of(since, until));
		assertThat(window.wholeSince()).isEqualTo(time(wholeSince));
		assertThat(window.wholeUntil()).isEqualTo(time(wholeUntil));
		assertThat(window.firstEdgeSince()).isEqualTo(time(firstSince));
		assertThat(window.firstEdgeUntil()).isEqualTo(time(firstUntil));
		assertThat(window.lastEdgeSince()).isEqualTo(time(lastSince));
		assertThat(window.lastEdgeUntil()).isEqualTo(time(lastUntil));
		assertThat(window.bounded()).isEqualTo(since != null || until != null);
	}

	private static OffsetDateTime time(String value) {
		return switch (value) {
			case MIN -> OffsetDateTime.MIN;
			case MAX -> OffsetDateTime.MAX;
			default -> OffsetDateTime.parse(value);
		};
	}

}
