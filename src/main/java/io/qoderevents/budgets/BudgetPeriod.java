package io.qoderevents.budgets;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

import io.qoderevents.config.BudgetSetting.Period;

/**
 * One calendar period of a budget: from the start of a day, a week (Monday) or a month in
 * a time zone to the start of the next, each the first instant of that date in the zone
 * (so a day a clock change shortens or lengthens is 23 or 25 hours, and a start that
 * falls in a gap is the first instant after it).
 *
 * @param start the period's first instant
 * @param end the next period's first instant (excluded)
 * @param zone the zone the period is cut in
 */
record BudgetPeriod(Instant start, Instant end, ZoneId zone) {

	/** The period of the kind, cut in the zone, that contains the instant. */
	static BudgetPeriod containing(Instant at, Period period, ZoneId zone) {
		LocalDate date = at.atZone(zone).toLocalDate();
		LocalDate first = switch (period) {
			case DAY -> date;
			case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
			case MONTH -> date.withDayOfMonth(1);
		};
		LocalDate next = switch (period) {
			case DAY -> first.plusDays(1);
			case WEEK -> first.plusWeeks(1);
			case MONTH -> first.plusMonths(1);
		};
		return new BudgetPeriod(first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant(), zone);
	}

	/** The period's start with the zone's offset at that instant. */
	ZonedDateTime zonedStart() {
		return this.start.atZone(this.zone);
	}

	/** The period's end with the zone's offset at that instant. */
	ZonedDateTime zonedEnd() {
		return this.end.atZone(this.zone);
	}

}
