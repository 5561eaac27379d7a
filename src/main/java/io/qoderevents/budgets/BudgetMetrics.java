package io.qoderevents.budgets;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The budget gauges, labelled by budget: the spend of the current period (read when
 * {@link BudgetMetricsJob} says so, never on a scrape; NaN until the first read), the
 * limit and the warn fraction.
 */
@Component
class BudgetMetrics {

	private final Budgets budgets;

	private final Map<String, AtomicReference<Double>> spend = new HashMap<>();

	BudgetMetrics(Budgets budgets, MeterRegistry registry) {
		this.budgets = budgets;
		for (Budget budget : budgets.budgets()) {
			AtomicReference<Double> spent = new AtomicReference<>(Double.NaN);
			this.spend.put(budget.name(), spent);
			Gauge.builder("qoder.budget.spend", spent, AtomicReference::get)
				.description("What the budget's scope spent in its current period, in the pricing currency")
				.tag("budget", budget.name())
				.register(registry);
			Gauge.builder("qoder.budget.limit", budget, (limited) -> limited.limit().doubleValue())
				.description("The most the budget's scope may spend in a period, in the pricing currency")
				.tag("budget", budget.name())
				.register(registry);
			Gauge.builder("qoder.budget.warn.at", budget, (limited) -> limited.warnAt().doubleValue())
				.description("The fraction of the limit at which the budget warns")
				.tag("budget", budget.name())
				.register(registry);
		}
	}

	/** Reads every budget's spend from the database. */
	void refreshGauges() {
		if (this.spend.isEmpty()) {
			return;
		}
		for (BudgetStatus status : this.budgets.statuses()) {
			this.spend.get(status.name()).set(status.spend().doubleValue());
		}
	}

}
