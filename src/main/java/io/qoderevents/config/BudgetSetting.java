package io.qoderevents.config;

import java.math.BigDecimal;
import java.time.ZoneId;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A spending limit over the sessions of a scope, per calendar period
 * ({@code qoder.budgets[*]}).
 *
 * @param name the budget's name, unique; the {@code budget} label of its gauges
 * @param scope the sessions it counts: {@code all}, {@code agent=<agent id>} or
 * {@code metadata.<key>=<value>}, by each session's latest snapshot
 * @param period the calendar period spend is counted over, starting again at each
 * period's start
 * @param zone the time zone periods are cut in (a week starts on Monday)
 * @param limit the most the scope may spend in a period, in
 * {@code qoder.pricing.currency}
 * @param warnAt the fraction of the limit at which the budget warns
 */
public record BudgetSetting(@NotBlank String name, @NotBlank String scope, @NotNull Period period,
		@NotNull @DefaultValue("UTC") ZoneId zone, @NotNull @Positive BigDecimal limit,
		@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @DefaultValue("0.8") BigDecimal warnAt) {

	/** A budget's calendar period. */
	public enum Period {

		/** From midnight to midnight. */
		DAY,
		/** From Monday's midnight to the next. */
		WEEK,
		/** From the first of the month's midnight to the next. */
		MONTH

	}

}
