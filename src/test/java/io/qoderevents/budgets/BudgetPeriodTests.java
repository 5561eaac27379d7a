package io.qoderevents.budgets;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;

import io.qoderevents.config.BudgetSetting.Period;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The period containing an instant, cut in the budget's zone. */
class BudgetPeriodTests {

	static Stream<Arguments> periods() {
		return Stream.of(
				// UTC: a month, a week starting Monday, a day
				Arguments.of("2026-12-04T18:40:00Z", Period.MONTH, "UTC", "2026-12-01T00:00:00Z",
						"2027-01-01T00:00:00Z"),
				Arguments.of("2026-12-04T18:40:00Z", Period.WEEK, "UTC", "2026-11-30T00:00:00Z",
						"2026-12-07T00:00:00Z"),
				Arguments.of("2026-11-30T00:00:00Z", Period.WEEK, "UTC", "2026-11-30T00:00:00Z",
						"2026-12-07T00:00:00Z"),
				Arguments.of("2026-12-06T23:59:59.999Z", Period.WEEK, "UTC", "2026-11-30T00:00:00Z",
						"2026-12-07T00:00:00Z"),
				Arguments.of("2026-12-04T00:00:00Z", Period.DAY, "UTC", "2026-12-04T00:00:00Z", "2026-12-05T00:00:00Z"),
				// Berlin: 23:30 UTC on 30 November is already December there
				Arguments.of("2026-11-30T23:30:00Z", Period.MONTH, "Europe/Berlin", "2026-11-30T23:00:00Z",
						"2026-12-31T23:00:00Z"),
				Arguments.of("2026-11-30T22:59:59Z", Period.MONTH, "Europe/Berlin", "2026-10-31T23:00:00Z",
						"2026-11-30T23:00:00Z"),
				// Berlin's October month starts in summer time and ends in winter time
				Arguments.of("2026-10-15T12:00:00Z", Period.MONTH, "Europe/Berlin", "2026-09-30T22:00:00Z",
						"2026-10-31T23:00:00Z"),
				// the week of 29 March 2026 (clocks go forward on Sunday) is 167 hours
				// long
				Arguments.of("2026-03-28T12:00:00Z", Period.WEEK, "Europe/Berlin", "2026-03-22T23:00:00Z",
						"2026-03-29T22:00:00Z"),
				// St John's is 3:30 behind UTC in winter, 2:30 in summer
				Arguments.of("2026-12-04T03:00:00Z", Period.DAY, "America/St_Johns", "2026-12-03T03:30:00Z",
						"2026-12-04T03:30:00Z"),
				Arguments.of("2026-12-04T03:30:00Z", Period.DAY, "America/St_Johns", "2026-12-04T03:30:00Z",
						"2026-12-05T03:30:00Z"),
				// the day clocks go back in St John's (1 November 2026) is 25 hours long
				Arguments.of("2026-11-01T12:00:00Z", Period.DAY, "America/St_Johns", "2026-11-01T02:30:00Z",
						"2026-11-02T03:30:00Z"),
				// Kathmandu is 5:45 ahead: the day still starts on a quarter hour
				Arguments.of("2026-12-04T00:00:00Z", Period.DAY, "Asia/Kathmandu", "2026-12-03T18:15:00Z",
						"2026-12-04T18:15:00Z"));
	}

	@ParameterizedTest(name = "{0} {1} in {2}")
	@MethodSource("periods")
	void containingWhenInstantInZoneThenPeriodFromItsLocalStartToTheNext(String at, Period period, String zone,
			String start, String end) {
		BudgetPeriod containing = BudgetPeriod.containing(Instant.parse(at), period, ZoneId.of(zone));
		assertThat(containing.start()).isEqualTo(Instant.parse(start));
		assertThat(containing.end()).isEqualTo(Instant.parse(end));
		assertThat(containing.start()).isBeforeOrEqualTo(Instant.parse(at));
		assertThat(containing.end()).isAfter(Instant.parse(at));
	}

	@ParameterizedTest(name = "{0} {1} in {2}")
	@MethodSource("periods")
	void containingWhenPeriodEndsThenTheNextStartsThere(String at, Period period, String zone, String start,
			String end) {
		BudgetPeriod next = BudgetPeriod.containing(Instant.parse(end), period, ZoneId.of(zone));
		assertThat(next.start()).isEqualTo(Instant.parse(end));
		assertThat(
				BudgetPeriod.containing(Instant.parse(end).minus(Duration.ofNanos(1)), period, ZoneId.of(zone)).start())
			.isEqualTo(Instant.parse(start));
	}

}
