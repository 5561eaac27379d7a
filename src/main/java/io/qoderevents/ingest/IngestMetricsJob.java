package io.qoderevents.ingest;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads the session gauges from the database every {@code qoder.ingest.metrics-refresh},
 * so that a scrape never queries it.
 */
@Component
class IngestMetricsJob {

	private final IngestMetrics metrics;

	IngestMetricsJob(IngestMetrics metrics) {
		this.metrics = metrics;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().metricsRefresh()}",
			initialDelay = 1_000)
	void refreshGauges() {
		this.metrics.refreshGauges();
	}

}
