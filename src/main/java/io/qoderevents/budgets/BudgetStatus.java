package io.qoderevents.budgets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A budget in its current period.
 *
 * @param name the budget's name
 * @param scope the sessions it counts: {@code all}, {@code agent=<id>} or
 * {@code metadata.<key>=<value>}
 * @param period {@code day}, {@code week} or {@code month}
 * @param periodStart the current period's first instant, with the budget zone's offset
 * @param periodEnd the next period's first instant, with the budget zone's offset
 * @param limit the most spent in a period
 * @param spend the priced cost of the scope's usage stored for the current period
 * @param fraction spend divided by limit, to six places
 * @param state {@code ok}, {@code warning} (spend reached warn-at × limit) or
 * {@code exceeded} (spend reached the limit)
 * @param warnedAt the end of the 15-minute usage bucket in which the spend reached
 * warn-at × limit this period, or null
 * @param exceededAt the end of the 15-minute usage bucket in which the spend reached the
 * limit this period, or null
 * @param currency the ISO 4217 currency of limit and spend
 */
record BudgetStatus(String name, String scope, @Schema(example = "month") String period,
		@Schema(format = "date-time", example = "2026-12-01T00:00:00+01:00") String periodStart,
		@Schema(format = "date-time", example = "2027-01-01T00:00:00+01:00") String periodEnd, BigDecimal limit,
		BigDecimal spend, BigDecimal fraction, State state, @Schema(nullable = true) Instant warnedAt,
		@Schema(nullable = true) Instant exceededAt, String currency) {

	static BudgetStatus of(Budget budget, BudgetPeriod period, JdbcBudgetRepository.Spend spend, String currency) {
		State state = (spend.exceededAt() != null) ? State.EXCEEDED
				: (spend.warnedAt() != null) ? State.WARNING : State.OK;
		return new BudgetStatus(budget.name(), budget.scope().toString(),
				budget.period().name().toLowerCase(Locale.ROOT),
				DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(period.zonedStart()),
				DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(period.zonedEnd()), budget.limit(), spend.spend(),
				spend.spend().divide(budget.limit(), 6, RoundingMode.HALF_UP), state, spend.warnedAt(),
				spend.exceededAt(), currency);
	}

	/** Where a budget's spend stands in its period. */
	enum State {

		/** Below warn-at × limit. */
		OK,
		/** At or above warn-at × limit, below the limit. */
		WARNING,
		/** At or above the limit. */
		EXCEEDED;

		/** The name in the API. */
		@JsonValue
		String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
