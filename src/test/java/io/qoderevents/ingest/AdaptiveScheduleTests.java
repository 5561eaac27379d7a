package io.qoderevents.ingest;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The next poll time the real poller gives each session, from what it did. */
class AdaptiveScheduleTests extends IntegrationTest {

	@Test
	void pollWhenEventsStoredThenPolledAgainAfterThePollInterval() {
		String session = tracked(3);
		syncNow(session);
		assertThat(secondsUntilNextPoll(session)).isBetween(4.0, 5.0);
	}

	@Test
	void pollWhenQuietForTwoHoursThenBackedOffToAQuarterOfThat() {
		String session = tracked(3);
		syncNow(session);
		quietFor(session, "2 hours");
		syncNow(session);
		assertThat(secondsUntilNextPoll(session)).isBetween(1790.0, 1801.0);
		quietFor(session, "2 days");
		// capped a sixtieth below idle-poll-interval (1 h)
		syncNow(session);
		assertThat(secondsUntilNextPoll(session)).isBetween(3530.0, 3541.0);
	}

	@Test
	void pollWhenQuietButRunningUpstreamThenPollInterval() {
		String session = tracked(3);
		syncNow(session);
		quietFor(session, "2 hours");
		this.jdbc.sql("update session_snapshot set status = 'running', read_at = now() where session_id = ?")
			.param(session)
			.update();
		syncNow(session);
		assertThat(secondsUntilNextPoll(session)).isBetween(4.0, 5.0);
	}

	@Test
	void pollWhenSessionTerminatedThenNotPolledAgain() {
		String session = tracked(2);
		this.upstream.append(session,
				TestEvents.ofType(session, TestEvents.eventId(), "session.status_terminated", "2026-09-01T10:00:00Z"));
		syncNow(session);
		assertThat(row(session).get("state")).isEqualTo("completed");
		assertThat(row(session).get("next_poll_at")).isNull();
	}

	/** The session produced its last events {@code interval} ago and is idle upstream. */
	private void quietFor(String session, String interval) {
		this.jdbc.sql("update tracked_session set active_at = now() - cast(? as interval) where session_id = ?")
			.params(interval, session)
			.update();
		this.jdbc.sql("update session_snapshot set status = 'idle' where session_id = ?").param(session).update();
	}

	private double secondsUntilNextPoll(String session) {
		return this.jdbc
			.sql("select extract(epoch from next_poll_at - now()) from tracked_session where session_id = ?")
			.param(session)
			.query(Double.class)
			.single();
	}

}
