package io.qoderevents.ingest;

import java.net.InetAddress;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.JdbcLeaseRepository.Claim;
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

	IngestService(JdbcLeaseRepository leases, SessionPoller poller, QoderClient client, IngestMetrics metrics,
			QoderProperties properties, @Qualifier(IngestConfiguration.POLL_EXECUTOR) TaskExecutor workers,
			Clock clock) {
		this.leases = leases;
		this.poller = poller;
		this.client = client;
		this.metrics = metrics;
		this.properties = properties.ingest();
		this.workers = workers;
		this.clock = clock;
		this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Polls each session due when the cycle starts once, keeping up to twice
	 * {@code concurrency} polls in flight so that the workers never idle while sessions
	 * are due and one long poll never holds up the others. Returns the number of sessions
	 * polled.
	 */
	public int pollDue() {
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
				if (inFlight <= this.properties.concurrency()) {
					List<Claim> claims = this.leases.claimDue(this.owner, this.properties.lease(),
							Math.min(target - inFlight, this.properties.claimBatch()), dueBy);
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
	 * Ends every running poll at its next page boundary; Spring then waits for them as it
	 * shuts the poll executor down.
	 */
	@Override
	public void destroy() {
		this.poller.stop();
	}

	static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "unknown-host";
		}
	}

}
