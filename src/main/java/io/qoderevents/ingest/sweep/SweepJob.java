package io.qoderevents.ingest.sweep;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Sweeps the account's session list every {@code qoder.ingest.sweep-interval}. */
@Component
@ConditionalOnBooleanProperty(name = "qoder.ingest.enabled", matchIfMissing = true)
class SweepJob {

	private final SweepService sweep;

	SweepJob(SweepService sweep) {
		this.sweep = sweep;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().sweepInterval()}",
			initialDelay = 2_000)
	void sweep() {
		this.sweep.sweep();
	}

}
