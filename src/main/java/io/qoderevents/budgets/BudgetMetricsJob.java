package io.qoderevents.budgets;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads the budget gauges from the database every {@code qoder.ingest.metrics-refresh},
 * so that a budget's gauge lags its stored usage by one refresh at most.
 */
@Component
class BudgetMetricsJob {

	private final BudgetMetrics metrics;

	BudgetMetricsJob(BudgetMetrics metrics) {
		this.metrics = metrics;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().metricsRefresh()}",
			initialDelay = 1_000)
	void refreshGauges() {
		this.metrics.refreshGauges();
	}

}
