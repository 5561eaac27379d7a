package io.qoderevents.ingest;

import io.qoderevents.tracking.SessionDue;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Looks for due sessions on every tick of {@code qoder.ingest.tick}, and at once, on a
 * scheduler thread, when a session is made due once that change commits.
 */
@Component
@ConditionalOnBooleanProperty(name = "qoder.ingest.enabled", matchIfMissing = true)
class IngestJob {

	private final IngestService ingest;

	private final TaskScheduler scheduler;

	IngestJob(IngestService ingest, TaskScheduler scheduler) {
		this.ingest = ingest;
		this.scheduler = scheduler;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}",
			initialDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.ingest().tick()}")
	void pollDueSessions() {
		this.ingest.pollScheduled();
	}

	@TransactionalEventListener(fallbackExecution = true)
	void sessionDue(SessionDue due) {
		this.scheduler.schedule(this.ingest::pollWoken, this.scheduler.getClock().instant());
	}

}
