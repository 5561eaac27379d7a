package io.qoderevents.ingest;

import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.FetchResult;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.SessionPage;
import io.qoderevents.upstream.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Tracks every session the account lists upstream, paging through the list at most
 * {@value #MAX_PAGES} pages deep.
 */
@Service
class DiscoveryService {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryService.class);

	static final int MAX_PAGES = 100;

	private final QoderClient client;

	private final TrackingService tracking;

	DiscoveryService(QoderClient client, TrackingService tracking) {
		this.client = client;
		this.tracking = tracking;
	}

	/** Lists the account's sessions and tracks each; a failed page ends the round. */
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
