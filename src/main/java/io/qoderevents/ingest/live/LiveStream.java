package io.qoderevents.ingest.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.Failures;
import io.qoderevents.ingest.Handback;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.ingest.turns.Events;
import io.qoderevents.upstream.EventPage;
import io.qoderevents.upstream.QoderClient;
import io.qoderevents.upstream.StreamFrame;
import io.qoderevents.upstream.UpstreamEvent;
import io.qoderevents.upstream.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One session's live tail: frames from the upstream's event stream, buffered for a short
 * window and committed as pages through the poller's page transaction, with its cursor
 * check, on the commit scheduler. The stream holds the session's lease and renews it; it
 * ends at a turn-ending idle, a terminal event, an error frame, a refused resume id, a
 * disconnect, a silence, a stale cursor or a lost lease, and reports why.
 */
final class LiveStream {

	private static final Logger logger = LoggerFactory.getLogger(LiveStream.class);

	private final String sessionId;

	private final String owner;

	private final Collaborators with;

	private final Sinks.One<End> stop = Sinks.one();

	private String cursor;

	private volatile boolean stored;

	private volatile boolean storedSinceSnapshot;

	private Instant snapshotDueAt = Instant.MIN;

	private Disposable renewal;

	LiveStream(String sessionId, String cursor, String owner, Collaborators with) {
		this.sessionId = sessionId;
		this.cursor = cursor;
		this.owner = owner;
		this.with = with;
	}

	/**
	 * Opens the stream (the open request may wait for a slot of the request cap on the
	 * calling thread) and reports its end to {@code ended}, on the commit scheduler.
	 */
	void start(BiConsumer<LiveStream, End> ended) {
		QoderProperties.Ingest.LiveTail settings = this.with.settings().liveTail();
		Duration lease = this.with.settings().lease();
		Duration renewEvery = lease.dividedBy(4);
		this.renewal = Flux.interval(renewEvery, renewEvery, this.with.commits())
			.filter((tick) -> !this.with.leases().renew(this.sessionId, this.owner, lease))
			.subscribe((tick) -> stop(End.LEASE_LOST), (ex) -> stop(End.LEASE_LOST));
		this.with.client()
			.streamEvents(this.sessionId, this.cursor)
			.timeout(settings.silenceTimeout())
			.doOnNext((frame) -> this.with.metrics().frameReceived(frame.kind()))
			.map(this::item)
			.onErrorResume(
					(ex) -> Mono.just(Item.end((ex instanceof TimeoutException) ? End.SILENCE : End.DISCONNECTED)))
			.concatWith(Mono.just(Item.end(End.DISCONNECTED)))
			.mergeWith(this.stop.asMono().map(Item::end))
			.takeUntil((item) -> item.end() != null)
			.filter((item) -> item.event() != null || item.end() != null)
			.bufferTimeout(settings.bufferSize(), settings.bufferWindow(), true)
			.concatMap((batch) -> Mono.fromCallable(() -> commit(batch)).subscribeOn(this.with.commits()))
			.filter((end) -> end != End.NONE)
			.next()
			.defaultIfEmpty(End.DISCONNECTED)
			.onErrorResume((ex) -> {
				logger.warn("Live tail of session {} failed; it is polled again", this.sessionId, ex);
				return Mono.just(End.FAILED);
			})
			.publishOn(this.with.commits())
			.subscribe((end) -> {
				this.renewal.dispose();
				ended.accept(this, end);
			});
	}

	/** Ends the stream at the next frame, after committing what was received. */
	void stop(End end) {
		this.stop.tryEmitValue(end);
	}

	String sessionId() {
		return this.sessionId;
	}

	String owner() {
		return this.owner;
	}

	/** Whether the stream stored events. */
	boolean stored() {
		return this.stored;
	}

	/**
	 * Whether the stream stored events since the snapshot was last looked at and the
	 * snapshot may be due; clears the first. Called from one thread at a time.
	 */
	boolean snapshotMayBeDue(Instant now) {
		if (!this.storedSinceSnapshot || now.isBefore(this.snapshotDueAt)) {
			return false;
		}
		this.storedSinceSnapshot = false;
		return true;
	}

	/**
	 * The snapshot was not due yet: it is looked at again at {@code dueAt}, for the
	 * events stored so far.
	 */
	void snapshotDueAt(Instant dueAt) {
		this.snapshotDueAt = dueAt;
		this.storedSinceSnapshot = true;
	}

	private Item item(StreamFrame frame) {
		return switch (frame.kind()) {
			case EVENT -> new Item(frame.event(), endsStream(frame.event()));
			case HEARTBEAT, DELTA -> Item.NOTHING;
			case ERROR -> {
				UpstreamFailure<?> failure = frame.failure();
				logger.info("Live tail of session {} ended by an error frame: type={} request_id={} message={}",
						this.sessionId, failure.errorType(), failure.requestId(), failure.message());
				yield Item.end(End.ERROR_FRAME);
			}
			case FAILED -> Item.end(failedEnd(frame.failure()));
		};
	}

	private End failedEnd(UpstreamFailure<?> failure) {
		if (failure.kind() == UpstreamFailure.Kind.BAD_REQUEST) {
			logger.info("Upstream refused to resume session {} after {} (request {}); it is polled", this.sessionId,
					this.cursor, failure.requestId());
			return End.REJECTED;
		}
		if (failure.kind() == UpstreamFailure.Kind.CONNECTION || failure.kind() == UpstreamFailure.Kind.TIMEOUT) {
			return End.DISCONNECTED;
		}
		logger.info("Live tail of session {} could not continue: {}", this.sessionId, Failures.describe(failure));
		return End.FAILED;
	}

	/**
	 * A primary turn-ending idle (anything but {@code requires_action}) or a terminal
	 * event: the session stops running, and the stream is closed after it.
	 */
	private static End endsStream(UpstreamEvent event) {
		if (!Events.endsTurn(event)) {
			return null;
		}
		return Events.isTerminal(event.type()) ? End.TERMINATED : End.IDLE;
	}

	/**
	 * Commits the batch's events as one page read after the stream's cursor.
	 * @return why the stream ends here, or {@link End#NONE}
	 */
	private End commit(List<Item> batch) {
		List<UpstreamEvent> events = new ArrayList<>(batch.size());
		End end = End.NONE;
		for (Item item : batch) {
			if (item.event() != null) {
				events.add(item.event());
			}
			if (item.end() != null) {
				end = item.end();
			}
		}
		if (events.isEmpty()) {
			return end;
		}
		PageWriter.Outcome outcome = this.with.writer()
			.apply(this.sessionId, this.owner, this.cursor, new EventPage(events, null, false, null),
					this.with.settings().lease());
		if (!outcome.applied()) {
			logger.info("Session {} moved on while its stream was read; it is handed back to polling", this.sessionId);
			return End.STALE;
		}
		this.cursor = outcome.cursor();
		if (outcome.stored() > 0) {
			this.stored = true;
			this.storedSinceSnapshot = true;
		}
		return outcome.terminal() ? End.TERMINATED : end;
	}

	/**
	 * Why a stream ended; every end but {@link #IDLE} and {@link #TERMINATED} hands the
	 * session back to polling at once.
	 */
	enum End {

		/** Not an end (a committed batch the stream continues after). */
		NONE,
		/** The session idled: the turn ended. */
		IDLE,
		/** The session terminated. */
		TERMINATED,
		/** The upstream sent an {@code error} frame. */
		ERROR_FRAME,
		/** The upstream refused the resume id (400). */
		REJECTED,
		/** The stream could not be opened (another status, a paused client). */
		FAILED,
		/** The connection closed or broke. */
		DISCONNECTED,
		/** Nothing arrived, not even a heartbeat, for the silence timeout. */
		SILENCE,
		/** A poll moved the cursor while the stream read the events after it. */
		STALE,
		/** The session's lease was lost (or the session is no longer tracked). */
		LEASE_LOST,
		/** The instance is shutting down. */
		SHUTDOWN;

		/** The metric tag. */
		String reason() {
			return name().toLowerCase();
		}

	}

	/** What a stream needs from its instance. */
	record Collaborators(QoderClient client, PageWriter writer, JdbcStreamLeaseRepository leases, Handback handback,
			LiveTailMetrics metrics, QoderProperties.Ingest settings, Scheduler commits) {
	}

	/** An event to commit, the end of the stream, both, or neither (a heartbeat). */
	private record Item(UpstreamEvent event, End end) {

		static final Item NOTHING = new Item(null, null);

		static Item end(End end) {
			return new Item(null, end);
		}

	}

}
