package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.IntegrationTest;
import io.qoderevents.QoderEventsApplication;
import io.qoderevents.TestDatabase;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas on one database share the token's request budget: together they stay under the
 * cap, and a 429 one of them sees pauses them all. This instance only serves the
 * simulated upstream; the replicas poll it.
 */
class SharedBudgetTests extends IntegrationTest {

	private static final Log logger = LogFactory.getLog(SharedBudgetTests.class);

	private static final int CAP = 20;

	@Autowired
	private TrackingService tracking;

	@AfterEach
	void freeTheBudget() {
		// the replicas are gone: what they reserved must not slow the next tests down
		this.jdbc.sql("update request_budget set theoretical_arrival = 'epoch', paused_until = 'epoch'").update();
	}

	@Test
	void pollWhenThreeReplicasWorkABacklogThenTheirRequestsTogetherStayUnderTheCapEverySecond() throws Exception {
		List<String> sessions = sessions(30);
		List<ConfigurableApplicationContext> replicas = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				replicas.add(replica());
			}
			int before = this.upstream.requestLog().size();
			sessions.forEach(this.tracking::track);
			awaitStored(sessions);
			List<Instant> arrivals = this.upstream.requestArrivals();
			Map<Long, Integer> perSecond = perSecond(arrivals.subList(before, arrivals.size()));
			double roundTrips = replicas.stream().mapToDouble(SharedBudgetTests::roundTrips).sum();
			int requests = arrivals.size() - before;
			logger.info("Requests per second of 3 replicas at a cap of " + CAP + ": " + perSecond.values() + "; "
					+ roundTrips + " budget round trips for " + requests + " requests");
			assertThat(perSecond.size()).isGreaterThan(3);
			assertThat(perSecond.values())
				.allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(CAP * 105 / 100));
			replicas.forEach((replica) -> assertThat(pagesFetched(replica)).isPositive());
			assertThat(roundTrips / requests).isLessThan(1.0);
		}
		finally {
			replicas.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Test
	void pollWhenOneReplicaIsAnswered429ThenNoReplicaSendsUntilTheRetryAfterEnds() throws Exception {
		List<String> sessions = sessions(30);
		List<ConfigurableApplicationContext> replicas = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				replicas.add(replica());
			}
			sessions.forEach(this.tracking::track);
			await(() -> this.upstream.requestCount() > 2 * CAP);
			int before = this.upstream.requestLog().size();
			this.upstream.failNext(null, 1, 429, Map.of("Retry-After", "5"), "");
			awaitStored(sessions);
			List<String> log = this.upstream.requestLog();
			List<Instant> arrivals = this.upstream.requestArrivals();
			int answered429 = before;
			while (!log.get(answered429).contains("/events")) {
				answered429++;
			}
			Instant at = arrivals.get(answered429);
			// what was on its way when the 429 came: sent, or cleared by news of the
			// budget at most 0.3 s old, and arriving late on a busy machine
			Instant settled = at.plusMillis(1500);
			Instant until = at.plusSeconds(5);
			List<String> duringPause = new ArrayList<>();
			for (int i = answered429 + 1; i < arrivals.size(); i++) {
				if (arrivals.get(i).isAfter(settled) && arrivals.get(i).isBefore(until)) {
					duringPause.add(Duration.between(at, arrivals.get(i)) + " " + log.get(i));
				}
			}
			long after = arrivals.stream().filter((arrival) -> !arrival.isBefore(until)).count();
			logger.info("Requests from 1.5 s to 5 s after the 429: " + duringPause.size() + "; after: " + after);
			assertThat(duringPause).isEmpty();
			assertThat(after).isGreaterThan(CAP);
			replicas.forEach((replica) -> assertThat(pagesFetched(replica)).isPositive());
		}
		finally {
			replicas.forEach(ConfigurableApplicationContext::close);
		}
	}

	/** Sessions upstream, of several pages each, not yet tracked. */
	private List<String> sessions(int count) {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			this.upstream.appendAll(session, TestEvents.events(session, 60 + i));
			sessions.add(session);
		}
		return sessions;
	}

	private void awaitStored(List<String> sessions) throws InterruptedException {
		long expected = sessions.stream().mapToLong((session) -> this.upstream.eventIds(session).size()).sum();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (count("select count(*) from event") < expected) {
			assertThat(System.nanoTime()).as("waited 90 s").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	private static Map<Long, Integer> perSecond(List<Instant> arrivals) {
		Map<Long, Integer> perSecond = new TreeMap<>();
		arrivals.forEach((arrival) -> perSecond.merge(arrival.getEpochSecond(), 1, Integer::sum));
		return perSecond;
	}

	private static double pagesFetched(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class).counter("qoder.pages.fetched").count();
	}

	private static double roundTrips(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class).counter("qoder.upstream.budget.round.trips").count();
	}

	/**
	 * Another instance on this database, polling this instance's simulated upstream at
	 * the test's cap (which {@link #replica(String...)} sets one of its own for).
	 */
	private ConfigurableApplicationContext replica() {
		TestDatabase database = TestDatabase.get();
		return new SpringApplicationBuilder(QoderEventsApplication.class).profiles("demo")
			.run("--server.port=" + freePort(), "--management.server.port=" + freePort(),
					"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(),
					"--qoder.upstream.base-url=http://127.0.0.1:" + this.port + "/demo/upstream/api/v1/cloud",
					"--qoder.upstream.max-requests-per-second=" + CAP, "--qoder.upstream.page-size=20",
					"--qoder.demo.sessions=0", "--qoder.demo.generate=false", "--qoder.ingest.tick=100ms",
					"--qoder.ingest.poll-interval=1h", "--qoder.ingest.concurrency=4");
	}

}
