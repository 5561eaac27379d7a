package io.qoderevents.ingest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Looks for due sessions on every tick of {@code qoder.ingest.tick}. */
@Component
@ConditionalOnBooleanProperty(name = "qoder.ingest.enabled", matchIfMissing = true)
class IngestJob {

	private final IngestService ingest;

	IngestJob(IngestService ingest) {
		this.ingest = ingest;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}",
			initialDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}")
	void pollDueSessions() {
		this.ingest.pollDue();
	}

}
