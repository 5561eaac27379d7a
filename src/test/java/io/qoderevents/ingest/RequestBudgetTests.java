package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule under a short budget: a cap of 5 requests a second and many sessions due
 * at once.
 */
@TestPropertySource(properties = "qoder.upstream.max-requests-per-second=5")
class RequestBudgetTests extends IntegrationTest {

	@Autowired
	private IngestService ingest;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private JdbcLeaseRepository leases;

	@Test
	void pollDueWhenManySessionsDueAtOnceThenNeverMoreClaimedThanTheCapAllowsAndPriorityFirst() throws Exception {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			sessions.add(tracked(2));
		}
		String requested = sessions.get(29);
		String changed = sessions.get(28);
		this.jdbc.sql("update tracked_session set next_poll_at = now() - interval '1 minute' * random()").update();
		this.jdbc.sql("update tracked_session set changed = true where session_id = ?").param(changed).update();
		this.tracking.requestSync(requested);
		this.upstream.delayNext(null, 1000, Duration.ofMillis(150));
		CompletableFuture<Integer> cycle = CompletableFuture.supplyAsync(this.ingest::pollDue);
		long mostLeased = 0;
		while (!cycle.isDone()) {
			mostLeased = Math.max(mostLeased,
					count("select count(*) from tracked_session where lease_owner is not null"));
			Thread.sleep(10);
		}
		assertThat(cycle.get()).isEqualTo(30);
		assertThat(mostLeased).isBetween(1L, 5L);
		List<String> firstPolled = this.upstream.requestLog()
			.stream()
			.filter((line) -> line.contains("/events"))
			.map((line) -> line.substring("/sessions/".length(), line.indexOf("/events")))
			.limit(5)
			.toList();
		assertThat(firstPolled).contains(requested, changed);
		sessions.forEach((session) -> assertThat(stored(session)).hasSize(2));
	}

	@Test
	void pollDueWhenTheSlotsAlreadyHandedOutFillTheTickThenNothingClaimed() {
		for (int i = 0; i < 10; i++) {
			tracked(1);
		}
		this.client.pauseUntil(Instant.now().plusSeconds(3));
		assertThat(this.ingest.pollDue()).isZero();
		assertThat(count("select count(*) from tracked_session where lease_owner is not null")).isZero();
		this.client.resume();
		assertThat(this.ingest.pollDue()).isEqualTo(10);
	}

	@Test
	void claimDueWhenBudgetShortThenRequestedThenRunningOrChangedThenLongestOverdue() {
		String overdue = tracked(1);
		String lessOverdue = tracked(1);
		String running = tracked(1);
		String changed = tracked(1);
		String requested = tracked(1);
		due(overdue, "10 minutes");
		due(lessOverdue, "5 minutes");
		due(running, "1 second");
		due(changed, "1 second");
		due(requested, "-1 hour");
		this.jdbc.sql("insert into session_snapshot (session_id, status, read_at) values (?, 'running', now())")
			.param(running)
			.update();
		this.jdbc.sql("update tracked_session set changed = true where session_id = ?").param(changed).update();
		this.tracking.requestSync(requested);
		List<String> order = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			this.leases.claimDue("test", Duration.ofMinutes(1), 1, OffsetDateTime.now())
				.forEach((claim) -> order.add(claim.sessionId()));
		}
		assertThat(order.subList(0, 1)).containsExactly(requested);
		assertThat(order.subList(1, 3)).containsExactlyInAnyOrder(running, changed);
		assertThat(order.subList(3, 5)).containsExactly(overdue, lessOverdue);
	}

	@Test
	void pollScheduledWhenBudgetShortThenActiveSessionsPolledEveryIntervalAheadOfTheOverdueBacklog() throws Exception {
		List<String> live = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String session = TestEvents.sessionId();
			ingest(session, TestEvents.events(session, 2));
			live.add(session);
		}
		List<String> backlog = idleBacklog(100);
		CompletableFuture<Integer> cycle = CompletableFuture.supplyAsync(this.ingest::pollScheduled);
		for (int round = 1; round <= 2; round++) {
			for (String session : live) {
				this.upstream.append(session, TestEvents.message(session, TestEvents.eventId(), Instant.now()));
			}
			int expected = 2 + round;
			await(() -> live.stream().allMatch((session) -> stored(session).size() == expected));
		}
		// two polls of each active session came while the longer overdue backlog waited
		assertThat(unread(backlog)).isPositive();
		assertThat(cycle.get(2, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(backlog.size() + 2 * live.size());
		assertThat(unread(backlog)).isZero();
	}

	@Test
	void pollDueWhenActiveSessionsFillTheCapThenTheBacklogStillGetsItsShare() throws Exception {
		List<String> running = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			String session = tracked(0);
			this.jdbc.sql("insert into session_snapshot (session_id, status, read_at) values (?, 'running', now())")
				.param(session)
				.update();
			running.add(session);
		}
		List<String> backlog = idleBacklog(6);
		CompletableFuture<Integer> cycle = CompletableFuture.supplyAsync(this.ingest::pollDue);
		await(() -> unread(backlog) == 0);
		// a fifth of the claims went to the longer overdue backlog, the rest to the
		// running sessions, most of which still wait
		assertThat(unread(running)).isGreaterThanOrEqualTo(20);
		assertThat(cycle.get(2, TimeUnit.MINUTES)).isEqualTo(running.size() + backlog.size());
	}

	/**
	 * New sessions upstream without events, tracked and never read, due an hour ago.
	 */
	private List<String> idleBacklog(int size) {
		List<String> backlog = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			backlog.add(tracked(0));
		}
		this.jdbc.sql("update tracked_session set next_poll_at = now() - interval '1 hour' where session_id in (:ids)")
			.param("ids", backlog)
			.update();
		return backlog;
	}

	private long unread(List<String> sessions) {
		return this.jdbc
			.sql("select count(*) from tracked_session where last_success_at is null and session_id in (:ids)")
			.param("ids", sessions)
			.query(Long.class)
			.single();
	}

	private void due(String session, String ago) {
		this.jdbc.sql("update tracked_session set next_poll_at = now() - cast(? as interval) where session_id = ?")
			.params(ago, session)
			.update();
	}

}
