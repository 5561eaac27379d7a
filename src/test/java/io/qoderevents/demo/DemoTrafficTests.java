package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.qoderevents.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTrafficTests {

	private final SimulatedQoder qoder = new SimulatedQoder("t", Clock.systemUTC());

	private final List<String> tracked = new ArrayList<>();

	@Test
	void seedWhenSessionsConfiguredThenCreatesSeedsAndTracksThem() {
		traffic(3).seed();
		for (int n = 1; n <= 3; n++) {
			String sessionId = DemoTraffic.sessionId(n);
			assertThat(sessionId).matches("sess_de[0-9a-f]{30}");
			assertThat(this.qoder.events(sessionId)).isNotEmpty();
		}
		assertThat(this.tracked).containsExactly(DemoTraffic.sessionId(1), DemoTraffic.sessionId(2),
				DemoTraffic.sessionId(3));
	}

	@Test
	void seedWhenNoSessionsThenNothing() {
		traffic(0).seed();
		assertThat(this.tracked).isEmpty();
		assertThat(this.qoder.listSessions("Bearer t", Map.of()).body()).startsWith("{\"data\":[]");
	}

	@Test
	void advanceWhenPlayedLongThenExactlyTheLastSessionTerminates() {
		DemoTraffic traffic = traffic(3);
		traffic.seed();
		for (int i = 0; i < DemoTraffic.LIFETIME + 3; i++) {
			traffic.advance();
		}
		JsonNode sessions = JsonMapper.shared().readTree(this.qoder.listSessions("Bearer t", Map.of()).body());
		assertThat(sessions.get("data").valueStream().map((session) -> session.get("status").asString()))
			.containsExactly("terminated", "idle", "idle");
		assertThat(this.qoder.events(DemoTraffic.sessionId(1)).size())
			.isGreaterThan(this.qoder.events(DemoTraffic.sessionId(3)).size());
	}

	@Test
	void advanceWhenWebhooksOnThenEachTurnAnnouncedAtItsStartAndEnd() {
		List<String> webhooks = new ArrayList<>();
		DemoTraffic traffic = new DemoTraffic(this.qoder, new DemoEvents(new Random(1)), this.tracked::add, 2, 1,
				Duration.ZERO, Clock.systemUTC(), (type, sessionId) -> webhooks.add(type + " " + sessionId));
		traffic.seed();
		assertThat(webhooks).isEmpty();
		traffic.advance();
		String first = DemoTraffic.sessionId(1);
		String second = DemoTraffic.sessionId(2);
		assertThat(webhooks).containsExactly("session.status_run_started " + first, "session.status_idled " + first,
				"session.status_run_started " + second, "session.status_idled " + second);
		for (int i = 0; i < DemoTraffic.LIFETIME; i++) {
			traffic.advance();
		}
		webhooks.clear();
		traffic.advance();
		assertThat(webhooks).containsExactly("session.status_run_started " + first, "session.status_idled " + first);
	}

	@Test
	void advanceWhenPacedThenTheTurnAppearsEventByEventOverThePace() {
		MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
		DemoTraffic traffic = new DemoTraffic(this.qoder, new DemoEvents(new Random(1)), this.tracked::add, 1, 0,
				Duration.ofSeconds(3), clock);
		traffic.seed();
		String session = DemoTraffic.sessionId(1);
		int seeded = this.qoder.events(session).size();
		traffic.advance();
		assertThat(this.qoder.events(session)).hasSize(seeded);
		traffic.drip();
		assertThat(this.qoder.events(session)).hasSize(seeded + 1);
		assertThat(this.qoder.events(session).get(seeded)).contains("\"session.status_running\"");
		clock.advance(Duration.ofMillis(2500));
		traffic.drip();
		int halfway = this.qoder.events(session).size();
		assertThat(halfway).isGreaterThan(seeded + 1);
		clock.advance(Duration.ofSeconds(1));
		traffic.drip();
		assertThat(this.qoder.events(session)).hasSizeGreaterThan(halfway)
			.last()
			.asString()
			.contains("\"session.status_idle\"");
		assertThat(this.qoder.listSessions("Bearer t", Map.of()).body()).contains("\"status\":\"idle\"");
	}

	private DemoTraffic traffic(int sessions) {
		DemoEvents events = new DemoEvents(new Random(1));
		return new DemoTraffic(this.qoder, events, this.tracked::add, sessions, 1, Duration.ZERO, Clock.systemUTC());
	}

}
