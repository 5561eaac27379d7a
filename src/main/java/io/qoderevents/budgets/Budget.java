package io.qoderevents.budgets;

import java.math.BigDecimal;
import java.time.ZoneId;

import io.qoderevents.config.BudgetSetting.Period;

/**
 * A checked budget of the settings.
 *
 * @param name its unique name
 * @param scope the sessions it counts
 * @param period the calendar period it counts over
 * @param zone the zone periods are cut in
 * @param limit the most spent in a period
 * @param warnAt the fraction of the limit at which it warns
 */
record Budget(String name, BudgetScope scope, Period period, ZoneId zone, BigDecimal limit, BigDecimal warnAt) {

	/** The spend at which the budget warns: {@code limit × warnAt}, exact. */
	BigDecimal warnSpend() {
		return this.limit.multiply(this.warnAt);
	}

}
