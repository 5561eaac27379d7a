package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.qoderevents.IntegrationTest;
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

	private void due(String session, String ago) {
		this.jdbc.sql("update tracked_session set next_poll_at = now() - cast(? as interval) where session_id = ?")
			.params(ago, session)
			.update();
	}

}
