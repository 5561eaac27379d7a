package io.qoderevents.budgets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.pricing.Prices;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The budgets of {@code qoder.budgets[*]}, each with what its scope spent in its current
 * period. Spend is read from the stored usage when asked, so every replica answers the
 * same from the same rows, and a budget counts usage as soon as it is stored. Checked at
 * start-up: a budget that cannot be kept stops it.
 */
@Service
public class Budgets {

	private final List<Budget> budgets;

	private final JdbcBudgetRepository repository;

	private final Prices prices;

	private final Clock clock;

	Budgets(QoderProperties properties, JdbcBudgetRepository repository, Prices prices, Clock clock) {
		this.budgets = BudgetSettings.budgets(properties.budgets());
		this.repository = repository;
		this.prices = prices;
		this.clock = clock;
	}

	/** Every budget with its spend in the period containing now, in settings order. */
	@Transactional(readOnly = true)
	List<BudgetStatus> statuses() {
		Instant now = this.clock.instant();
		List<BudgetStatus> statuses = new ArrayList<>(this.budgets.size());
		for (Budget budget : this.budgets) {
			BudgetPeriod period = BudgetPeriod.containing(now, budget.period(), budget.zone());
			statuses
				.add(BudgetStatus.of(budget, period, this.repository.spend(budget, period), this.prices.currency()));
		}
		return statuses;
	}

	List<Budget> budgets() {
		return this.budgets;
	}

}
