package io.qoderevents.ingest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * With {@code qoder.ingest.discovery} on, tracks every session the account lists
 * upstream, every {@code qoder.ingest.discovery-interval}.
 */
@Component
@ConditionalOnBooleanProperty("qoder.ingest.discovery")
class DiscoveryJob {

	private final DiscoveryService discovery;

	DiscoveryJob(DiscoveryService discovery) {
		this.discovery = discovery;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().discoveryInterval()}",
			initialDelay = 2_000)
	void discover() {
		this.discovery.discover();
	}

}
