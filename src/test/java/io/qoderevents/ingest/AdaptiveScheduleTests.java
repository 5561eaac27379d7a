package io.qoderevents.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import io.qoderevents.IntegrationTest;
import io.qoderevents.MutableClock;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The next poll time the real poller gives each session, from what it did, on a clock the
 * tests move. The clock is this class's own (its context is not shared) and only moves
 * forward: set back, it would leave the request gate's next slot in its future.
 */
class AdaptiveScheduleTests extends IntegrationTest {

	@TestBean(methodName = "standingClock")
	private Clock clock;

	@Autowired
	private TrackingService tracking;

	static Clock standingClock() {
		return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
	}

	@Test
	void pollWhenEventsStoredThenPolledAgainAfterThePollInterval() {
		String session = tracked(3);
		syncNow(session);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(5)));
	}

	@Test
	void pollWhenFirstReadOfASessionLastUpdatedTwoHoursAgoThenItStartsOnTheIdleSchedule() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		((MutableClock) this.clock).advance(Duration.ofHours(2));
		this.tracking.track(session);
		syncNow(session);
		assertThat(stored(session)).hasSize(3);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(30)));
	}

	@Test
	void pollWhenFirstReadOfASessionUpdatedWithinTheHourThenPollInterval() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		((MutableClock) this.clock).advance(Duration.ofMinutes(50));
		this.tracking.track(session);
		syncNow(session);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(5)));
	}

	@Test
	void pollWhenQuietForTwoHoursThenBackedOffToAQuarterOfThat() {
		String session = tracked(3);
		syncNow(session);
		quietFor(session, Duration.ofHours(2));
		syncNow(session);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(30)));
		quietFor(session, Duration.ofDays(2));
		// capped a sixtieth below idle-poll-interval (1 h)
		syncNow(session);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(59)));
	}

	@Test
	void pollWhenQuietButRunningUpstreamThenPollInterval() {
		String session = tracked(3);
		syncNow(session);
		quietFor(session, Duration.ofHours(2));
		this.jdbc.sql("update session_snapshot set status = 'running', read_at = ? where session_id = ?")
			.params(OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC), session)
			.update();
		syncNow(session);
		assertThat(nextPoll(session)).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(5)));
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

	/**
	 * Time passes for {@code quiet} without events, and the upstream says the session is
	 * idle.
	 */
	private void quietFor(String session, Duration quiet) {
		((MutableClock) this.clock).advance(quiet);
		this.jdbc.sql("update session_snapshot set status = 'idle' where session_id = ?").param(session).update();
	}

	private Instant nextPoll(String session) {
		return this.jdbc.sql("select next_poll_at from tracked_session where session_id = ?")
			.param(session)
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.single();
	}

}
