package io.qoderevents.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo restarted: each start is a simulator that has forgotten everything
 * ({@link SimulatedQoder#reset()}) over the same kept history in the database, with the
 * service ingesting its sessions between starts.
 */
class DemoRestartTests extends IntegrationTest {

	private static final List<String> SESSIONS = List.of(DemoTraffic.sessionId(1), DemoTraffic.sessionId(2));

	@Autowired
	private TrackingService tracking;

	@BeforeEach
	@AfterEach
	void forgetKeptHistories() {
		this.jdbc.sql("drop schema if exists demo_upstream cascade").update();
	}

	@Test
	void restartWhenHistoriesKeptThenEverySessionContinuesItsOneHistory() {
		int[] before = new int[SESSIONS.size()];
		for (int start = 0; start < 4; start++) {
			this.upstream.reset();
			DemoTraffic traffic = new DemoTraffic(this.upstream, new DemoEvents(new Random(start)),
					this.tracking::track, SESSIONS.size(), 1, Duration.ZERO, Clock.systemUTC(), (type, sessionId) -> {
					}, new JdbcDemoHistory(this.jdbc));
			traffic.restore();
			for (String session : SESSIONS) {
				assertThat(this.upstream.eventIds(session)).as("restarted %d times: %s", start, session)
					.isEqualTo(storedIds(session));
			}
			traffic.seed();
			for (int turn = 0; turn < 3; turn++) {
				traffic.advance();
				SESSIONS.forEach(this::syncNow);
			}
			for (int i = 0; i < SESSIONS.size(); i++) {
				String session = SESSIONS.get(i);
				List<String> stored = storedIds(session);
				assertThat(stored).as("restarted %d times: %s", start, session)
					.isEqualTo(this.upstream.eventIds(session));
				if (i == 1 && start > 0) {
					assertThat(stored).as("%s ended in the first run", session).hasSize(before[i]);
				}
				else {
					assertThat(stored).as("%s continues", session).hasSizeGreaterThan(before[i]);
				}
				before[i] = stored.size();
				assertThat(terminalEvents(session)).isLessThanOrEqualTo(1);
				assertBilledCoversCredits(session);
			}
		}
		assertThat(terminalEvents(SESSIONS.get(1))).as("the last session ends once").isEqualTo(1);
		assertThat(terminalEvents(SESSIONS.get(0))).isZero();
	}

	private void assertBilledCoversCredits(String session) {
		this.jdbc
			.sql("update session_snapshot set read_tried_at = read_tried_at - interval '1 hour' where session_id = ?")
			.param(session)
			.update();
		syncNow(session);
		JsonNode usage = Api.json(this.api.get("/api/v1/sessions/{id}/usage", session));
		JsonNode credits = usage.get("credits");
		if (credits != null && credits.isNumber() && credits.decimalValue().signum() > 0) {
			BigDecimal billed = usage.get("billed_credits").decimalValue();
			assertThat(billed).as("%s billed for %s", session, credits).isGreaterThanOrEqualTo(credits.decimalValue());
		}
	}

	private List<String> storedIds(String session) {
		return this.jdbc.sql("select id from event where session_id = ? order by sequence")
			.param(session)
			.query(String.class)
			.list();
	}

	private long terminalEvents(String session) {
		return this.jdbc.sql(
				"select count(*) from event where session_id = ? and type in ('terminated', 'session.status_terminated')")
			.param(session)
			.query(Long.class)
			.single();
	}

}
