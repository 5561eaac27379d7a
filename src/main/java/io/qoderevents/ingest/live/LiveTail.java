package io.qoderevents.ingest.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.Handback;
import io.qoderevents.ingest.LeaseOwner;
import io.qoderevents.ingest.RunningSessionPolled;
import io.qoderevents.ingest.SnapshotReader;
import io.qoderevents.ingest.live.JdbcStreamLeaseRepository.Streamable;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.upstream.QoderClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The live tail: running sessions are read from the upstream's event stream as their
 * events happen, at most {@code max-streams} at a time on this instance. A stream leases
 * its session like a poll does, so the poller and other replicas leave it alone while it
 * is open; when it ends the session goes back to polling. Frames arrive on Reactor
 * Netty's event loop and pages are committed on a small scheduler of their own, never on
 * the poll workers.
 */
@Component
public class LiveTail implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LiveTail.class);

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

	private final LiveStream.Collaborators with;

	private final SnapshotReader snapshots;

	private final QoderProperties.Ingest properties;

	private final Clock clock;

	private final String owner;

	private final Scheduler commits;

	private final Scheduler opens;

	private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();

	private final Map<String, Instant> cooldowns = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	LiveTail(QoderClient client, PageWriter writer, JdbcStreamLeaseRepository leases, Handback handback,
			SnapshotReader snapshots, LiveTailMetrics metrics, QoderProperties properties, Clock clock,
			LeaseOwner owner) {
		this.properties = properties.ingest();
		this.snapshots = snapshots;
		this.clock = clock;
		this.owner = owner.name() + "/stream";
		this.commits = Schedulers.newBoundedElastic(2, Integer.MAX_VALUE, "qoder-live-tail");
		this.opens = Schedulers.newBoundedElastic(Math.max(1, this.properties.liveTail().maxStreams()),
				Integer.MAX_VALUE, "qoder-live-tail-open");
		this.with = new LiveStream.Collaborators(client, writer, leases, handback, metrics, this.properties,
				this.commits);
	}

	/**
	 * Opens a stream for each running session that has a cursor and no lease, as many as
	 * {@code max-streams} leaves room for; sessions whose stream failed lately are left
	 * to polling for the {@code cooldown}.
	 * @return the streams opened
	 */
	public int openRunning() {
		return open(null);
	}

	/**
	 * Opens a stream for the session soon, on a thread of the live tail, if it is still
	 * running and free then and there is room: a poll that stored the session's
	 * {@code session.status_running} says so with {@link RunningSessionPolled}, and the
	 * stream takes over at once instead of at the next tick. Only where streams open on
	 * their own ({@code qoder.ingest.enabled}, as the ticks).
	 */
	@EventListener
	void offer(RunningSessionPolled polled) {
		String sessionId = polled.sessionId();
		if (this.properties.enabled() && this.properties.liveTail().enabled() && !this.stopping
				&& !this.cooldowns.containsKey(sessionId)) {
			this.opens.schedule(() -> {
				try {
					open(sessionId);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not open the live tail of session {}; the next tick tries again", sessionId, ex);
				}
			});
		}
	}

	/**
	 * Opens streams for the running sessions, or for {@code only} when it is one: claims
	 * and counts them under the lock, then starts each on a thread of its own, since an
	 * open may wait for a slot of the request cap and one wait must not hold up the
	 * others.
	 */
	private int open(String only) {
		List<LiveStream> opened = new ArrayList<>();
		synchronized (this) {
			QoderProperties.Ingest.LiveTail settings = this.properties.liveTail();
			int room = settings.maxStreams() - this.streams.size();
			Instant now = this.clock.instant();
			if (!settings.enabled() || this.stopping || room <= 0 || this.with.client().pausedUntil().isAfter(now)) {
				return 0;
			}
			this.cooldowns.values().removeIf(now::isAfter);
			JdbcStreamLeaseRepository leases = this.with.leases();
			List<Streamable> running;
			if (only == null) {
				running = leases.claimRunning(this.owner, this.properties.lease(), room, this.cooldowns.keySet());
			}
			else if (this.cooldowns.containsKey(only)) {
				return 0;
			}
			else {
				running = leases.claimRunning(this.owner, this.properties.lease(), only).stream().toList();
			}
			for (Streamable session : running) {
				LiveStream stream = new LiveStream(session.sessionId(), session.cursor(), this.owner, this.with);
				this.streams.put(session.sessionId(), stream);
				this.with.metrics().streamOpened();
				opened.add(stream);
			}
		}
		for (LiveStream stream : opened) {
			this.opens.schedule(() -> start(stream));
		}
		return opened.size();
	}

	private void start(LiveStream stream) {
		try {
			stream.start(this::ended);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not open the live tail of session {}; it is polled", stream.sessionId(), ex);
			ended(stream, LiveStream.End.FAILED);
		}
	}

	/**
	 * Reads the snapshot of each streamed session that stored events, as a poll that
	 * stored them would (at most once per {@code snapshot-interval}), so that a long
	 * turn's snapshot is as fresh as a polled session's. A 404 ends the stream: the poll
	 * then finds the session gone. Blocks for the reads: call it off the event loop.
	 * @return the snapshots read
	 */
	public int readSnapshots() {
		int read = 0;
		for (LiveStream stream : this.streams.values()) {
			Instant now = this.clock.instant();
			if (!stream.snapshotMayBeDue(now)) {
				continue;
			}
			SnapshotReader.Outcome outcome = this.snapshots.refresh(stream.sessionId(), false);
			if (outcome.notFound() != null) {
				stream.stop(LiveStream.End.FAILED);
			}
			else if (outcome.dueIn() != null) {
				stream.snapshotDueAt(now.plus(outcome.dueIn()));
			}
			else {
				read++;
			}
		}
		return read;
	}

	/** The sessions streamed now. */
	public int openStreams() {
		return this.streams.size();
	}

	/**
	 * Hands the session back to polling, as a poll that read it ends. A terminated
	 * session is completed and leaves the schedule. After a turn-ending idle the stream
	 * has read the session live up to the idle: it is polled again after
	 * {@code poll-interval}, and a sync requested meanwhile (the webhook announcing the
	 * idle) is answered. After any other end it is due at once, and not streamed again
	 * for the {@code cooldown}. A stream that stored events counts as activity for the
	 * schedule.
	 */
	private void ended(LiveStream stream, LiveStream.End end) {
		String sessionId = stream.sessionId();
		Handback leases = this.with.handback();
		Duration pollInterval = this.properties.pollInterval();
		try {
			switch (end) {
				case TERMINATED -> {
					this.snapshots.refresh(sessionId, true);
					leases.finish(sessionId, this.owner, true, true, false, pollInterval);
				}
				case IDLE -> leases.finish(sessionId, this.owner, stream.stored(), false, true, pollInterval);
				default -> {
					if (end != LiveStream.End.SHUTDOWN) {
						this.cooldowns.put(sessionId, this.clock.instant().plus(this.properties.liveTail().cooldown()));
					}
					if (stream.stored()) {
						leases.finish(sessionId, this.owner, true, false, false, Duration.ZERO);
					}
					else {
						leases.defer(sessionId, this.owner, Duration.ZERO);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand session {} back to polling; its lease expires", sessionId, ex);
		}
		finally {
			this.streams.remove(sessionId, stream);
			this.with.metrics().streamEnded(end.reason());
		}
	}

	/**
	 * Ends every stream, committing what each received, and hands its session back.
	 */
	@Override
	public void destroy() throws InterruptedException {
		this.stopping = true;
		closeAll();
		this.opens.dispose();
		this.commits.dispose();
	}

	/**
	 * Ends every stream as at shutdown and waits a few seconds for their sessions to be
	 * handed back.
	 */
	public void closeAll() throws InterruptedException {
		this.streams.values().forEach((stream) -> stream.stop(LiveStream.End.SHUTDOWN));
		long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
		while (!this.streams.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

}
