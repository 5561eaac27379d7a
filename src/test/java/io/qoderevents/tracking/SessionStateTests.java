package io.qoderevents.tracking;

import java.time.Duration;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/** Session states: the one enum read from the column, bound from {@code ?state=}. */
class SessionStateTests extends IntegrationTest {

	@Autowired
	private TrackingService tracking;

	@Test
	void listWhenStateGivenThenOnlySessionsInThatStateWithLowercaseValues() {
		String active = tracked("active");
		String failing = tracked("failing");
		String notFound = tracked("not_found");
		JsonNode page = Api.json(this.api.get("/api/v1/tracked-sessions?state=failing"));
		assertThat(page.get("data")).hasSize(1);
		assertThat(page.get("data").get(0).get("session_id").asString()).isEqualTo(failing);
		assertThat(page.get("data").get(0).get("state").asString()).isEqualTo("failing");
		assertThat(Api.json(this.api.get("/api/v1/tracked-sessions?state=not_found"))
			.get("data")
			.get(0)
			.get("state")
			.asString()).isEqualTo("not_found");
		assertThat(Api.json(this.api.get("/api/v1/tracked-sessions")).get("data")).hasSize(3);
		assertThat(Api.json(this.api.get("/api/v1/tracked-sessions/" + active)).get("state").asString())
			.isEqualTo("active");
		assertThat(this.tracking.get(notFound).state()).isEqualTo(SessionState.NOT_FOUND);
	}

	@Test
	void listWhenStateUnknownOrEnumNameOrEmptyThen400ListingAcceptedValues() {
		for (String state : new String[] { "FAILING", "paused", "" }) {
			Response response = this.api.get("/api/v1/tracked-sessions?state=" + state);
			Api.assertInvalid(response, "state");
			assertThat(Api.JSON.readTree(response.body()).get("detail").asString())
				.isEqualTo("state must be one of active, completed, diverged, failing, not_found, unauthorized");
		}
	}

	@Test
	void countByStateWhenSessionsInSomeStatesThenEveryStateCounted() {
		tracked("active");
		tracked("failing");
		tracked("failing");
		tracked("unauthorized");
		assertThat(this.tracking.countByState()).containsExactly(entry(SessionState.ACTIVE, 1L),
				entry(SessionState.COMPLETED, 0L), entry(SessionState.DIVERGED, 0L), entry(SessionState.FAILING, 2L),
				entry(SessionState.NOT_FOUND, 0L), entry(SessionState.UNAUTHORIZED, 1L));
	}

	@Test
	void ingestionBehindWhenSessionsQuietOrOverdueThenOnlyTheMostOverdueWaitingCounts() {
		due(tracked("active"), "-1 hour");
		due(tracked("failing"), "-2 hours");
		assertThat(this.tracking.ingestionBehind()).isZero();
		due(tracked("active"), "3 minutes");
		due(tracked("unauthorized"), "4 minutes");
		due(tracked("completed"), "30 days");
		assertThat(this.tracking.ingestionBehind()).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
		String leased = tracked("active");
		due(leased, "1 hour");
		this.jdbc.sql("update tracked_session set lease_until = now() + interval '1 minute' where session_id = ?")
			.param(leased)
			.update();
		assertThat(this.tracking.ingestionBehind()).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
	}

	@Test
	void sessionStateWhenWireValueThenRoundTrips() {
		for (SessionState state : SessionState.values()) {
			assertThat(SessionState.of(state.value())).isSameAs(state);
			assertThat(state.value()).isEqualTo(state.name().toLowerCase());
		}
		assertThat(SessionState.sqlLiterals(SessionState.POLLED)).isEqualTo("'active', 'failing', 'unauthorized'");
		assertThat(SessionState.NOT_FOUND).hasToString("not_found");
		assertThatIllegalArgumentException().isThrownBy(() -> SessionState.of("NOT_FOUND"));
	}

	private String tracked(String state) {
		String session = TestEvents.sessionId();
		this.tracking.track(session);
		this.jdbc.sql("update tracked_session set state = :state where session_id = :id")
			.param("state", state)
			.param("id", session)
			.update();
		return session;
	}

	/** Makes the session due {@code interval} ago (a negative one: due in the future). */
	private void due(String session, String interval) {
		this.jdbc
			.sql("update tracked_session set next_poll_at = now() - cast(:interval as interval),"
					+ " newest_event_at = now() - interval '30 days' where session_id = :id")
			.param("interval", interval)
			.param("id", session)
			.update();
	}

}
