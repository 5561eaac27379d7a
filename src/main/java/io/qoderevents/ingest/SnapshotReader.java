package io.qoderevents.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.JdbcSnapshotRepository.Reads;
import io.qoderevents.upstream.FetchResult;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.SessionSnapshot;
import io.qoderevents.upstream.UpstreamFailure;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Reads a session's own snapshot after a poll: when events were stored since the last
 * read, at most once per {@code qoder.ingest.snapshot-interval}, and once more when the
 * session completes. A failed read is logged and tried again an interval later; it never
 * fails the poll, except a 404, which means what a 404 on the events means. Attribution
 * of a shape the upstream does not document is stored as null, logged and counted
 * ({@code qoder.snapshots.malformed}).
 */
@Component
public class SnapshotReader {

	private static final Logger logger = LoggerFactory.getLogger(SnapshotReader.class);

	private final QoderClient client;

	private final JdbcSnapshotRepository snapshots;

	private final Duration interval;

	private final Clock clock;

	private final IngestMetrics metrics;

	SnapshotReader(QoderClient client, JdbcSnapshotRepository snapshots, QoderProperties properties, Clock clock,
			IngestMetrics metrics) {
		this.client = client;
		this.clock = clock;
		this.snapshots = snapshots;
		this.metrics = metrics;
		this.interval = properties.ingest().snapshotInterval();
	}

	/**
	 * Reads the snapshot if it is due.
	 * @param completed whether this poll completed the session
	 * @return how long until a snapshot is due, when one waits for the interval; a 404
	 * failure when the upstream no longer knows the session
	 */
	public Outcome refresh(String sessionId, boolean completed) {
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		Optional<Reads> reads = this.snapshots.reads(sessionId);
		if (reads.isEmpty() || !reads.get().stale()) {
			return Outcome.NOTHING_DUE;
		}
		OffsetDateTime dueAt = (reads.get().triedAt() != null) ? reads.get().triedAt().plus(this.interval) : now;
		if (!completed && dueAt.isAfter(now)) {
			return new Outcome(Duration.between(now, dueAt), null);
		}
		FetchResult<SessionSnapshot> result = this.client.getSession(sessionId);
		if (result instanceof UpstreamFailure<SessionSnapshot> failure) {
			if (failure.kind() == Kind.NOT_FOUND) {
				return new Outcome(null, failure);
			}
			if (failure.kind() != Kind.PAUSED) {
				logger.warn("Snapshot read of session {} failed: {}", sessionId, Failures.describe(failure));
				this.snapshots.tried(sessionId, now);
			}
			return Outcome.NOTHING_DUE;
		}
		SessionSnapshot snapshot = ((FetchResult.Success<SessionSnapshot>) result).page();
		noteMalformed(sessionId, snapshot);
		this.snapshots.save(sessionId, snapshot, now);
		return Outcome.NOTHING_DUE;
	}

	/**
	 * Records the snapshots a page of the session list shows, read at {@code readAt}.
	 * @return the listed sessions that are tracked
	 */
	public List<String> saveListed(List<SessionSnapshot> listed, OffsetDateTime readAt) {
		List<String> saved = this.snapshots.saveListed(listed, readAt);
		Set<String> tracked = new HashSet<>(saved);
		listed.stream()
			.filter((snapshot) -> tracked.remove(snapshot.sessionId()))
			.forEach((snapshot) -> noteMalformed(snapshot.sessionId(), snapshot));
		return saved;
	}

	/**
	 * A snapshot whose attribution fields have a shape the upstream does not document is
	 * kept with those fields null: logged and counted, never failed.
	 */
	private void noteMalformed(String sessionId, SessionSnapshot snapshot) {
		List<String> malformed = snapshot.attribution().malformed();
		if (!malformed.isEmpty()) {
			logger.warn("Snapshot of session {} has malformed {}; stored them as null", sessionId,
					String.join(", ", malformed));
			malformed.forEach(this.metrics::malformedSnapshotField);
		}
	}

	/**
	 * What a refresh leaves for the poll to do.
	 *
	 * @param dueIn how long until a snapshot read is due, or null
	 * @param notFound the upstream's 404 for the session, or null
	 */
	public record Outcome(Duration dueIn, UpstreamFailure<?> notFound) {

		static final Outcome NOTHING_DUE = new Outcome(null, null);

	}

}
