package io.qoderevents.ingest;

import java.util.Map;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short burst of upstream faults costs seconds: transient failures are retried within
 * the poll, a 429 pauses the client and the poll carries on, and only a poll whose
 * retries are spent counts against the session.
 */
@TestPropertySource(properties = { "qoder.upstream.max-attempts=3", "qoder.upstream.retry-delay=200ms" })
class TransientFaultTests extends IntegrationTest {

	private static final Logger logger = LoggerFactory.getLogger(TransientFaultTests.class);

	@Autowired
	private TrackingService tracking;

	@Test
	void pollWhenABurstOfFaultsThenEverythingStoredInTwoPollsWithOneFailureCounted() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 534));
		this.upstream.failNext(session, 2, 429, Map.of("Retry-After", "2"), "");
		this.upstream.failNext(session, 2, 503, Map.of("Content-Type", "text/html"), "<html>overloaded</html>");
		this.upstream.failNext(session, 1, 200, Map.of(), "this is not json");
		this.upstream.failNext(session, 1, 200, Map.of(), "{\"data\":[{\"id\":\"evt_1\",\"type\":\"user.mess");
		this.tracking.track(session);
		long started = System.nanoTime();
		syncNow(session);
		long firstPoll = System.nanoTime() - started;
		Map<String, Object> afterFirst = sessionRow(session);
		assertThat(afterFirst).containsEntry("state", "failing").containsEntry("consecutive_failures", 1);
		assertThat(afterFirst.get("last_error_type")).isEqualTo("malformed_response");
		syncNow(session);
		long bothPolls = System.nanoTime() - started;
		logger.info("Burst of 6 faults: first poll {} ms, both polls {} ms (plus backoff-initial between them)",
				firstPoll / 1_000_000, bothPolls / 1_000_000);
		assertThat(this.jdbc.sql("select id from event where session_id = ? order by sequence")
			.param(session)
			.query(String.class)
			.list()).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertThat(sessionRow(session)).containsEntry("state", "active")
			.containsEntry("consecutive_failures", 0)
			.containsEntry("event_count", 534L);
		assertThat(this.upstream.requestCount()).as("6 faults and 6 pages, no page twice").isEqualTo(12);
	}

	@Test
	void pollWhenRateLimitedOnceThenTheSamePollCarriesOnAndNothingCountsAsAFailure() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 150));
		this.upstream.failNext(session, 1, 429, Map.of("Retry-After", "1"), "");
		this.tracking.track(session);
		syncNow(session);
		assertThat(sessionRow(session)).containsEntry("state", "active")
			.containsEntry("consecutive_failures", 0)
			.containsEntry("event_count", 150L);
	}

	@Test
	void pollWhenTheUpstreamKeepsFailingThenTheSessionBacksOffAfterEachPollsRetries() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 10));
		this.upstream.failNext(session, 9, 503, Map.of(), "");
		this.tracking.track(session);
		for (int poll = 1; poll <= 3; poll++) {
			syncNow(session);
			assertThat(sessionRow(session)).containsEntry("state", "failing")
				.containsEntry("consecutive_failures", poll);
		}
		assertThat(this.upstream.requestCount()).isEqualTo(9);
		assertThat((Boolean) this.jdbc.sql("select next_poll_at > now() from tracked_session where session_id = ?")
			.param(session)
			.query(Boolean.class)
			.single()).isTrue();
		syncNow(session);
		assertThat(sessionRow(session)).containsEntry("state", "active").containsEntry("event_count", 10L);
	}

	private Map<String, Object> sessionRow(String session) {
		return this.jdbc
			.sql("select state, consecutive_failures, event_count, last_error_type from tracked_session"
					+ " where session_id = ?")
			.param(session)
			.query()
			.singleRow();
	}

}
