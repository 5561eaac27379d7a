package io.qoderevents.ingest.live;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Opens streams for running sessions on every tick of {@code qoder.ingest.tick}, and
 * reads the snapshots of streamed sessions that are due.
 */
@Component
@ConditionalOnBooleanProperty(name = { "qoder.ingest.enabled", "qoder.ingest.live-tail.enabled" },
		matchIfMissing = true)
class LiveTailJob {

	private final LiveTail liveTail;

	LiveTailJob(LiveTail liveTail) {
		this.liveTail = liveTail;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}",
			initialDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}")
	void openStreams() {
		this.liveTail.openRunning();
		this.liveTail.readSnapshots();
	}

}
