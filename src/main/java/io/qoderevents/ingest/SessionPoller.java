package io.qoderevents.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.JdbcLeaseRepository.PollError;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.tracking.SessionState;
import io.qoderevents.upstream.EventPage;
import io.qoderevents.upstream.FetchResult;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.UpstreamFailure;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Polls one leased session: pages forward from its cursor until the upstream has no more,
 * committing each page, then records the outcome and schedules the next poll.
 */
@Component
class SessionPoller {

	private static final Logger logger = LoggerFactory.getLogger(SessionPoller.class);

	private final QoderClient client;

	private final PageWriter writer;

	private final JdbcLeaseRepository leases;

	private final SnapshotReader snapshots;

	private final ApplicationEventPublisher events;

	private final QoderProperties.Ingest properties;

	private final Schedule schedule;

	private final IngestMetrics metrics;

	private final Clock clock;

	private volatile boolean stopping;

	SessionPoller(QoderClient client, PageWriter writer, JdbcLeaseRepository leases, SnapshotReader snapshots,
			ApplicationEventPublisher events, IngestMetrics metrics, QoderProperties properties, Clock clock) {
		this.client = client;
		this.events = events;
		this.writer = writer;
		this.leases = leases;
		this.snapshots = snapshots;
		this.metrics = metrics;
		this.properties = properties.ingest();
		this.schedule = Schedule.of(this.properties);
		this.clock = clock;
	}

	/** Polls a session leased to {@code owner}; returns the number of events stored. */
	int poll(Claim claim, String owner) {
		String sessionId = claim.sessionId();
		String cursor = claim.cursor();
		boolean rewound = false;
		int stored = 0;
		Boolean running = null;
		while (true) {
			if (this.stopping) {
				this.leases.defer(sessionId, owner, Duration.ZERO);
				return stored;
			}
			FetchResult<EventPage> result = this.client.listEvents(sessionId, cursor);
			if (result instanceof UpstreamFailure<EventPage> failure) {
				if (cursor != null && !rewound
						&& (failure.kind() == Kind.BAD_REQUEST || failure.kind() == Kind.NOT_FOUND)) {
					logger.warn("Upstream rejected the cursor of session {} (HTTP {}, request {}); re-reading it from"
							+ " the start", sessionId, failure.httpStatus(), failure.requestId());
					if (!this.leases.rewind(sessionId, owner)) {
						return stored;
					}
					cursor = null;
					rewound = true;
					continue;
				}
				failed(claim, owner, failure);
				return stored;
			}
			EventPage page = ((FetchResult.Success<EventPage>) result).page();
			if (page.events().isEmpty()) {
				finish(claim, owner, false, stored, running);
				return stored;
			}
			PageWriter.Outcome outcome = this.writer.apply(sessionId, owner, cursor, page, this.properties.lease());
			if (outcome.divergence() != null) {
				logger.warn("Session {}: {}", sessionId, outcome.divergence().message());
				this.leases.fail(sessionId, owner, SessionState.DIVERGED,
						new PollError(null, "diverged", truncate(outcome.divergence().message()), page.requestId()),
						Duration.ZERO);
				return stored;
			}
			if (!outcome.applied()) {
				logger.info("Session {} moved on while its page was fetched; this poll stops", sessionId);
				return stored;
			}
			stored += outcome.stored();
			running = (outcome.running() != null) ? outcome.running() : running;
			if (!page.hasMore() || outcome.terminal()) {
				finish(claim, owner, outcome.terminal(), stored, running);
				return stored;
			}
			if (Objects.equals(outcome.cursor(), cursor)) {
				failed(claim, owner, new UpstreamFailure<>(Kind.MALFORMED, 200, "cursor_not_advancing",
						"has_more is true but the page did not move the cursor", page.requestId(), null));
				return stored;
			}
			cursor = outcome.cursor();
		}
	}

	/**
	 * Ends a successful poll: reads the session's snapshot if due, and schedules the next
	 * poll as the schedule says, no later than the next snapshot read. A first read of a
	 * session the upstream last updated long ago starts it on the idle schedule. A poll
	 * that stored the start of a run tells the live tail, which may take the session
	 * over.
	 * @param running whether the poll's last stored status event says the session runs,
	 * null when it stored none
	 */
	private void finish(Claim claim, String owner, boolean completed, int stored, Boolean running) {
		SnapshotReader.Outcome snapshot = (stored > 0 || claim.snapshotStale())
				? this.snapshots.refresh(claim.sessionId(), completed) : SnapshotReader.Outcome.NOTHING_DUE;
		if (snapshot.notFound() != null) {
			failed(claim, owner, snapshot.notFound());
			return;
		}
		Instant now = this.clock.instant();
		Instant storedAt = (stored > 0) ? this.schedule.activeAfterStoring(now,
				claim.firstRead() ? instant(this.leases.upstreamUpdatedAt(claim.sessionId())) : null) : null;
		Instant activeAt = (storedAt != null) ? storedAt : instant(claim.activeAt());
		Duration delay = this.schedule.afterPoll(now, activeAt, claim.status(), instant(claim.statusReadAt()));
		if (snapshot.dueIn() != null && snapshot.dueIn().compareTo(delay) < 0) {
			delay = snapshot.dueIn();
		}
		Optional<OffsetDateTime> newest = this.leases.finish(claim.sessionId(), owner, storedAt, completed, false,
				delay);
		if (stored > 0) {
			this.metrics.read(now, claim.updatedAt(), newest.orElse(null));
		}
		if (Boolean.TRUE.equals(running) && !completed && newest.isPresent()) {
			this.events.publishEvent(new RunningSessionPolled(claim.sessionId()));
		}
	}

	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * Ends every poll at its next page boundary, handing the session back at once
	 * (shutdown).
	 */
	void stop() {
		this.stopping = true;
	}

	private void failed(Claim claim, String owner, UpstreamFailure<?> failure) {
		String sessionId = claim.sessionId();
		if (failure.kind() == Kind.PAUSED || failure.kind() == Kind.RATE_LIMITED) {
			Duration wait = Duration.between(this.clock.instant(), this.client.pausedUntil());
			this.leases.defer(sessionId, owner, wait.isNegative() ? Duration.ofSeconds(1) : wait);
			return;
		}
		logger.warn("Poll of session {} failed: {}", sessionId, Failures.describe(failure));
		SessionState state = SessionState.FAILING;
		Duration delay = backoff(claim.consecutiveFailures() + 1, failure.retryAfter());
		switch (failure.kind()) {
			case UNAUTHORIZED -> {
				state = SessionState.UNAUTHORIZED;
				delay = this.properties.unauthorizedPause();
				this.client.pauseUntil(this.clock.instant().plus(delay));
			}
			case FORBIDDEN -> {
				state = SessionState.UNAUTHORIZED;
				delay = this.properties.forbiddenBackoff();
			}
			case NOT_FOUND -> {
				state = SessionState.NOT_FOUND;
				delay = Duration.ZERO;
			}
			default -> {
			}
		}
		this.leases.fail(sessionId, owner, state, new PollError(failure.httpStatus(), failure.errorType(),
				truncate(failure.message()), failure.requestId()), delay);
	}

	/**
	 * Capped exponential backoff with jitter, never shorter than what the upstream asked
	 * for.
	 */
	Duration backoff(int failures, Duration retryAfter) {
		long initial = this.properties.backoffInitial().toMillis();
		long max = this.properties.backoffMax().toMillis();
		long exponential = initial << Math.min(failures - 1, 20);
		long capped = Math.min(Math.max(exponential, initial), max);
		long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
		Duration delay = Duration.ofMillis(jittered);
		return (retryAfter != null && retryAfter.compareTo(delay) > 0) ? retryAfter : delay;
	}

	private static String truncate(String message) {
		return (message != null && message.length() > 1000) ? message.substring(0, 1000) : message;
	}

}
