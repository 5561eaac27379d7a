package io.qoderevents.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.Claim.Due;
import io.qoderevents.upstream.QoderClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Service;

/**
 * Polls the tracked sessions that are due, a bounded number at a time. Instances share
 * the work through leases on the session rows, so two instances never poll one session at
 * the same time.
 */
@Service
public class IngestService implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(IngestService.class);

	private final JdbcLeaseRepository leases;

	private final SessionPoller poller;

	private final QoderClient client;

	private final IngestMetrics metrics;

	private final QoderProperties.Ingest properties;

	private final TaskExecutor workers;

	private final Clock clock;

	private final String owner;

	private final Schedule schedule;

	private final double maxRequestsPerSecond;

	/** Held by the cycle in progress: one at a time per instance. */
	private final ReentrantLock cycle = new ReentrantLock();

	/** Whether a session became due since the cycle in progress started. */
	private final AtomicBoolean woken = new AtomicBoolean();

	/**
	 * The part of a claim slot owed to the backlog; read and set under {@link #cycle}.
	 */
	private double owed;

	private volatile boolean stopping;

	IngestService(JdbcLeaseRepository leases, SessionPoller poller, QoderClient client, IngestMetrics metrics,
			QoderProperties properties, @Qualifier(IngestConfiguration.POLL_EXECUTOR) TaskExecutor workers, Clock clock,
			LeaseOwner owner) {
		this.leases = leases;
		this.poller = poller;
		this.client = client;
		this.metrics = metrics;
		this.properties = properties.ingest();
		this.schedule = Schedule.of(this.properties);
		this.maxRequestsPerSecond = properties.upstream().maxRequestsPerSecond();
		this.workers = workers;
		this.clock = clock;
		this.owner = owner.name();
	}

	/**
	 * Polls each session due when the cycle starts once (and every session requested or
	 * changed meanwhile), keeping up to twice {@code concurrency} polls in flight so that
	 * the workers never idle while sessions are due and one long poll never holds up the
	 * others. Never claims more sessions than the request cap allows within a tick, so
	 * the highest priority always goes first and the lowest waits, though the backlog of
	 * first reads and idle re-reads is owed {@code backlog-share} of the claims. Returns
	 * the number of sessions polled. Cycles run one at a time; this one waits for the one
	 * in progress, and runs again when a session was made due while it ran.
	 */
	public int pollDue() {
		return poll(false);
	}

	/**
	 * The tick's cycles: as {@link #pollDue()}, and while a long cycle works through a
	 * backlog, a session with evidence of activity that is due again is claimed too, so
	 * that it is polled every {@code poll-interval} however long the backlog takes.
	 */
	int pollScheduled() {
		return poll(true);
	}

	private int poll(boolean following) {
		this.cycle.lock();
		try {
			int polled = 0;
			do {
				this.woken.set(false);
				polled += cycle(following);
			}
			while (this.woken.get());
			return polled;
		}
		finally {
			this.cycle.unlock();
			if (this.woken.get()) {
				pollWoken();
			}
		}
	}

	/**
	 * A session was made due (a webhook, a sync request, a new session): polls the due
	 * sessions now, or has the cycle in progress run once more, instead of waiting for
	 * the next tick. Blocks for the cycle: call it off the request thread.
	 */
	void pollWoken() {
		this.woken.set(true);
		while (this.woken.get() && this.cycle.tryLock()) {
			try {
				while (this.woken.getAndSet(false)) {
					cycle(true);
				}
			}
			finally {
				this.cycle.unlock();
			}
		}
	}

	private int cycle(boolean following) {
		if (this.client.pausedUntil().isAfter(this.clock.instant().plusSeconds(5))) {
			return 0;
		}
		return this.metrics.pollCycle().record(() -> {
			OffsetDateTime dueBy = OffsetDateTime.now(this.clock);
			ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(this.workers);
			int target = 2 * this.properties.concurrency();
			int inFlight = 0;
			int polled = 0;
			while (true) {
				int budget = this.schedule.claimable(this.maxRequestsPerSecond, this.properties.tick(),
						this.client.backlog(), inFlight);
				int limit = Math.min(Math.min(target - inFlight, this.properties.claimBatch()), budget);
				if (inFlight <= this.properties.concurrency() && limit > 0 && !this.stopping) {
					List<Claim> claims = claim(limit, dueBy, following);
					for (Claim claim : claims) {
						done.submit(() -> this.poller.poll(claim, this.owner));
					}
					inFlight += claims.size();
					polled += claims.size();
				}
				if (inFlight == 0) {
					return polled;
				}
				if (!awaitOne(done)) {
					return polled;
				}
				inFlight--;
			}
		});
	}

	/**
	 * Claims up to {@code limit} due sessions, the backlog's owed share of them first
	 * pick of the backlog, the rest evidence of activity first.
	 * @param following whether sessions with evidence of activity due since {@code dueBy}
	 * count too
	 */
	private List<Claim> claim(int limit, OffsetDateTime dueBy, boolean following) {
		Instant now = this.clock.instant();
		Due due = new Due(dueBy, following ? OffsetDateTime.ofInstant(now, ZoneOffset.UTC) : dueBy,
				OffsetDateTime.ofInstant(this.schedule.activeSince(now), ZoneOffset.UTC));
		Schedule.Split split = this.schedule.split(limit, this.owed);
		this.owed = split.owed();
		List<Claim> claims = new ArrayList<>();
		if (split.active() > 0) {
			claims.addAll(this.leases.claimDue(this.owner, this.properties.lease(), split.active(), due, false));
		}
		if (split.backlog() > 0) {
			claims.addAll(this.leases.claimDue(this.owner, this.properties.lease(), split.backlog(), due, true));
		}
		return claims;
	}

	private static boolean awaitOne(ExecutorCompletionService<Integer> done) {
		try {
			done.take().get();
		}
		catch (ExecutionException ex) {
			logger.error("Poll failed unexpectedly; its lease expires and the session is polled again", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		return true;
	}

	/**
	 * Claims nothing more and ends every running poll at its next page boundary; Spring
	 * then waits for them as it shuts the poll executor down.
	 */
	@Override
	public void destroy() {
		this.stopping = true;
		this.poller.stop();
	}

}
