package io.qoderevents.ingest.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.Failures;
import io.qoderevents.ingest.LeaseOwner;
import io.qoderevents.ingest.Schedule;
import io.qoderevents.ingest.SnapshotReader;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.FetchResult;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.SessionPage;
import io.qoderevents.upstream.SessionQuery;
import io.qoderevents.upstream.SessionSnapshot;
import io.qoderevents.upstream.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Pages the account's session list and makes due every tracked session it shows changed
 * since its last poll, recording each one's snapshot on the way. Most sweeps list the
 * running sessions only; one every {@code full-sweep-interval} lists them all, archived
 * ones included. With discovery on, the same pages track the sessions not yet tracked.
 * One replica sweeps per {@code sweep-interval} (a lease); a failed page ends the sweep
 * and leaves the schedule as it is.
 */
@Service
class SweepService {

	private static final Logger logger = LoggerFactory.getLogger(SweepService.class);

	private static final SessionQuery RUNNING = new SessionQuery(Schedule.SWEPT_STATUSES, false);

	private final QoderClient client;

	private final JdbcSweepRepository sweeps;

	private final SnapshotReader snapshots;

	private final TrackingService tracking;

	private final QoderProperties.Ingest properties;

	private final Schedule schedule;

	private final Duration pageInterval;

	private final Clock clock;

	private final String owner;

	SweepService(QoderClient client, JdbcSweepRepository sweeps, SnapshotReader snapshots, TrackingService tracking,
			QoderProperties properties, Clock clock, LeaseOwner owner) {
		this.client = client;
		this.sweeps = sweeps;
		this.snapshots = snapshots;
		this.tracking = tracking;
		this.properties = properties.ingest();
		this.schedule = Schedule.of(this.properties);
		this.pageInterval = this.schedule.sweepPageInterval(properties.upstream().maxRequestsPerSecond());
		this.clock = clock;
		this.owner = owner.name();
	}

	/**
	 * Sweeps, unless another instance swept within the last {@code sweep-interval}.
	 * @return what the sweep did, or empty when it was another instance's turn
	 */
	Optional<Result> sweep() {
		Duration lease = lease();
		Optional<Optional<OffsetDateTime>> lastFull = this.sweeps.acquire(this.owner, lease);
		if (lastFull.isEmpty()) {
			return Optional.empty();
		}
		OffsetDateTime started = OffsetDateTime.now(this.clock);
		boolean full = this.schedule.fullSweepDue(started.toInstant(),
				lastFull.get().map(OffsetDateTime::toInstant).orElse(null));
		SessionQuery query = full ? SessionQuery.ALL : RUNNING;
		SessionPage page = null;
		List<String> tracked = new ArrayList<>();
		int pages = 0;
		int changed = 0;
		int discovered = 0;
		do {
			if (page != null) {
				pause();
				this.sweeps.renew(this.owner, lease);
			}
			FetchResult<SessionPage> result = this.client.listSessions(query, page);
			if (result instanceof UpstreamFailure<SessionPage> failure) {
				logger.warn("Sweep of the session list stopped at page {}: {}", pages + 1, Failures.describe(failure));
				return Optional.of(new Result(full, pages, false, tracked.size(), changed, discovered));
			}
			page = ((FetchResult.Success<SessionPage>) result).page();
			pages++;
			if (this.properties.discovery()) {
				discovered += this.tracking.trackAll(page.sessions()
					.stream()
					.filter((session) -> !session.archived())
					.map(SessionSnapshot::sessionId)
					.toList());
			}
			List<String> listed = this.snapshots.saveListed(page.sessions(), OffsetDateTime.now(this.clock));
			tracked.addAll(listed);
			changed += this.sweeps.markChanged(listed);
		}
		while (page.more() && pages < this.properties.sweepMaxPages());
		boolean complete = !page.more();
		if (complete && full) {
			this.sweeps.fullSweepDone(this.owner);
		}
		if (complete && !full) {
			changed += this.sweeps.markStopped(started);
		}
		return Optional.of(new Result(full, pages, complete, tracked.size(), changed, discovered));
	}

	/** A little under the interval, so that the holder's next round finds it expired. */
	private Duration lease() {
		Duration lease = this.properties.sweepInterval().minusSeconds(1);
		return (lease.compareTo(Duration.ofSeconds(1)) > 0) ? lease : Duration.ofSeconds(1);
	}

	private void pause() {
		try {
			Thread.sleep(this.pageInterval.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What one sweep did.
	 *
	 * @param full whether it listed every session, not only the running ones
	 * @param pages pages read
	 * @param complete whether it read the list to its end
	 * @param tracked tracked sessions listed
	 * @param changed tracked sessions it made due
	 * @param discovered sessions it started tracking
	 */
	record Result(boolean full, int pages, boolean complete, int tracked, int changed, int discovered) {
	}

}
