package io.qoderevents.ingest;

import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.FetchResult;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.SessionPage;
import io.qoderevents.upstream.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * With {@code qoder.ingest.discovery} on, tracks every session the account lists
 * upstream.
 */
@Component
@ConditionalOnBooleanProperty("qoder.ingest.discovery")
class DiscoveryJob {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryJob.class);

	private static final int MAX_PAGES = 100;

	private final QoderClient client;

	private final TrackingService tracking;

	DiscoveryJob(QoderClient client, TrackingService tracking) {
		this.client = client;
		this.tracking = tracking;
	}

	@Scheduled(fixedDelayString = "${qoder.ingest.discovery-interval:5m}", initialDelay = 2_000)
	void discover() {
		String after = null;
		for (int page = 0; page < MAX_PAGES; page++) {
			FetchResult<SessionPage> result = this.client.listSessions(after);
			if (result instanceof UpstreamFailure<SessionPage> failure) {
				logger.warn("Session discovery failed: status={} request_id={} message={}", failure.httpStatus(),
						failure.requestId(), failure.message());
				return;
			}
			SessionPage sessions = ((FetchResult.Success<SessionPage>) result).page();
			sessions.sessionIds().forEach(this.tracking::track);
			if (!sessions.hasMore() || sessions.lastId() == null) {
				return;
			}
			after = sessions.lastId();
		}
	}

}
