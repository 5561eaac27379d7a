package io.qoderevents.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static io.qoderevents.Api.JSON;
import static io.qoderevents.Api.assertInvalid;
import static io.qoderevents.Api.ids;
import static io.qoderevents.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

class EventsApiTests extends IntegrationTest {

	private static final Instant T0 = Instant.parse("2026-05-18T03:40:48Z");

	@Autowired
	private TrackingService tracking;

	@Test
	void listWhenSessionsInterleaveThenOrderedByEventTimeSessionAndSequence() {
		String a = "sess_" + "a".repeat(32);
		String b = "sess_" + "b".repeat(32);
		ingest(a, List.of(message(a, "evt_a1", T0.plusSeconds(2)), message(a, "evt_a2", T0),
				processedOnly(a, "evt_a3", "2026-05-18T03:40:49Z")));
		ingest(b, List.of(message(b, "evt_b1", T0), message(b, "evt_b2", T0.plusSeconds(1))));
		JsonNode page = json(this.api.get("/api/v1/events"));
		assertThat(ids(page)).containsExactly("evt_a2", "evt_b1", "evt_a3", "evt_b2", "evt_a1");
		assertThat(page.get("next_cursor").isNull()).isTrue();
		assertThat(ids(json(this.api.get("/api/v1/sessions/{id}/events", a)))).containsExactly("evt_a1", "evt_a2",
				"evt_a3");
	}

	@Test
	void listSessionWhenEventsStoredThenEnvelopeWithVerbatimTimestampsAndRawPayload() {
		String session = TestEvents.sessionId();
		String first = """
				{"id":"evt_n1","type":"user.message","content":"caf\u00e9 \\"q\\" \u4e2d","session_id":"%s",\
				"turn_id":"turn_019e392c0d787ceea6bb62943f9ac3ec","created_at":"2026-05-18T03:40:48.888851795Z",\
				"processed_at":"2026-05-18T03:40:50.3Z","x_new":{"n":[1,2.50,12345678901234567890]}}"""
			.formatted(session);
		String second = processedOnly(session, "evt_n2", "2026-05-18T03:40:51Z");
		ingest(session, List.of(first, second));
		JsonNode data = json(this.api.get("/api/v1/sessions/{id}/events", session)).get("data");
		JsonNode event = data.get(0);
		assertThat(event.get("id").asString()).isEqualTo("evt_n1");
		assertThat(event.get("session_id").asString()).isEqualTo(session);
		assertThat(event.get("sequence").asLong()).isEqualTo(1);
		assertThat(event.get("type").asString()).isEqualTo("user.message");
		assertThat(event.get("turn_id").asString()).isEqualTo("turn_019e392c0d787ceea6bb62943f9ac3ec");
		assertThat(event.get("created_at").asString()).isEqualTo("2026-05-18T03:40:48.888851795Z");
		assertThat(event.get("processed_at").asString()).isEqualTo("2026-05-18T03:40:50.3Z");
		assertThat(Instant.parse(event.get("ingested_at").asString())).isBefore(Instant.now().plusSeconds(1));
		assertThat(event.get("payload")).isEqualTo(JSON.readTree(first));
		assertThat(event.get("payload").get("x_new").get("n").get(2).bigIntegerValue())
			.hasToString("12345678901234567890");
		assertThat(data.get(1).get("created_at").isNull()).isTrue();
		// no turn_id of its own: the turn open when it occurred
		assertThat(data.get(1).get("turn_id").asString()).isEqualTo("turn_019e392c0d787ceea6bb62943f9ac3ec");
		assertThat(data.get(1).get("event_time").asString()).isEqualTo("2026-05-18T03:40:51Z");
		assertThat(data.get(1).get("sequence").asLong()).isEqualTo(2);
	}

	@Test
	void listWhenFilteredThenOnlyMatchingEvents() {
		String a = TestEvents.sessionId();
		String b = TestEvents.sessionId();
		String c = TestEvents.sessionId();
		ingest(a, List.of(message(a, "evt_a1", T0), TestEvents.ofType(a, "evt_a2", "agent.message", at(1)),
				TestEvents.ofType(a, "evt_a3", "session.error", at(2)), message(a, "evt_a4", T0.plusSeconds(3))));
		ingest(b, List.of(TestEvents.ofType(b, "evt_b1", "agent.message", at(1))));
		ingest(c, List.of(TestEvents.ofType(c, "evt_c1", "agent.message", at(1))));
		String twoTypes = "/api/v1/events?type=agent.message&type=session.error&session_id={a}&session_id={b}";
		assertThat(ids(json(this.api.get(twoTypes, a, b)))).containsExactlyInAnyOrder("evt_a2", "evt_a3", "evt_b1");
		// events without a turn_id of their own belong to the turn open when they occur
		assertThat(ids(json(this.api.get("/api/v1/events?turn_id=turn_019e392c0d787ceea6bb62943f9ac3ec"))))
			.containsExactly("evt_a1", "evt_a2", "evt_a3", "evt_a4");
		assertThat(ids(json(this.api.get("/api/v1/events?since={s}&until={u}&session_id={a}", at(1), at(3), a))))
			.containsExactly("evt_a2", "evt_a3");
		assertThat(ids(json(this.api.get("/api/v1/sessions/{a}/events?since={s}&type=session.error", a,
				"2026-05-18T05:40:50+02:00"))))
			.containsExactly("evt_a3");
		assertThat(ids(json(this.api.get("/api/v1/sessions/{a}/events?session_id={b}", a, b)))).isEmpty();
	}

	@Test
	void listWhenPagingWhileEventsArriveThenEveryEventOnceInOrder() {
		String session = TestEvents.sessionId();
		ingest(session, TestEvents.events(session, 25));
		List<String> acrossSessions = new ArrayList<>();
		List<String> inSession = new ArrayList<>();
		String across = null;
		String within = null;
		int pages = 0;
		do {
			JsonNode page = json(
					this.api.get("/api/v1/events?limit=10" + ((across != null) ? "&cursor=" + across : "")));
			acrossSessions.addAll(ids(page));
			across = page.get("next_cursor").asStringOpt().orElse(null);
			JsonNode sessionPage = json(this.api
				.get("/api/v1/sessions/{id}/events?limit=10" + ((within != null) ? "&cursor=" + within : ""), session));
			inSession.addAll(ids(sessionPage));
			within = sessionPage.get("next_cursor").asStringOpt().orElse(null);
			if (++pages <= 3) {
				List<String> more = new ArrayList<>();
				for (int i = 0; i < 7; i++) {
					more.add(message(session, TestEvents.eventId(), T0.plusSeconds(100L * pages + i)));
				}
				this.upstream.appendAll(session, more);
				syncNow(session);
			}
		}
		while (across != null || within != null);
		assertThat(acrossSessions).hasSize(46).doesNotHaveDuplicates().isEqualTo(this.upstream.eventIds(session));
		assertThat(inSession).isEqualTo(this.upstream.eventIds(session));
	}

	@Test
	void listSessionWhenSessionUnknownOrMalformedThen404Or400() {
		String tracked = TestEvents.sessionId();
		this.tracking.track(tracked);
		assertThat(json(this.api.get("/api/v1/sessions/{id}/events", tracked)).get("data").isEmpty()).isTrue();
		Response unknown = this.api.get("/api/v1/sessions/{id}/events", TestEvents.sessionId());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertInvalid(this.api.get("/api/v1/sessions/{id}/events", "sess_nothex"), "session_id");
	}

	@Test
	void listWhenParametersInvalidThen400NamingParameter() {
		String a = TestEvents.sessionId();
		String b = TestEvents.sessionId();
		ingest(a, TestEvents.events(a, 3));
		ingest(b, TestEvents.events(b, 3));
		String sessionCursor = json(this.api.get("/api/v1/sessions/{id}/events?limit=1", a)).get("next_cursor")
			.asString();
		String eventsCursor = json(this.api.get("/api/v1/events?limit=1")).get("next_cursor").asString();
		assertInvalid(this.api.get("/api/v1/events?since=yesterday"), "since");
		assertInvalid(this.api.get("/api/v1/events?until=2026-05-18"), "until");
		assertInvalid(this.api.get("/api/v1/events?since={t}&until={t}", at(1), at(1)), "until");
		assertInvalid(this.api.get("/api/v1/events?since={s}&until={u}", at(2), at(1)), "until");
		assertInvalid(this.api.get("/api/v1/events?limit=0"), "limit");
		assertInvalid(this.api.get("/api/v1/events?limit=1001"), "limit");
		assertInvalid(this.api.get("/api/v1/events?limit=ten"), "limit");
		assertInvalid(this.api.get("/api/v1/events?session_id=sess_1"), "session_id");
		assertInvalid(this.api.get("/api/v1/events?cursor=garbage"), "cursor");
		assertInvalid(this.api.get("/api/v1/events?cursor=" + eventsCursor.substring(1)), "cursor");
		assertInvalid(this.api.get("/api/v1/events?cursor=" + sessionCursor), "cursor");
		assertInvalid(this.api.get("/api/v1/sessions/{id}/events?cursor=" + eventsCursor, a), "cursor");
		assertInvalid(this.api.get("/api/v1/sessions/{id}/events?cursor=" + sessionCursor, b), "cursor");
		assertThat(this.api.get("/api/v1/events?limit=1000").status()).isEqualTo(200);
	}

	@Test
	void listWhenAcceptIsAnyThenJson() {
		Response response = this.api.fetch("*/*", "/api/v1/events");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		Response none = this.api.getRaw("/api/v1/events");
		assertThat(none.contentType()).startsWith("application/json");
	}

	@Test
	void apiDocsWhenRequestedThenEndpointsParametersAndExportsDescribed() {
		JsonNode paths = json(this.api.get("/v3/api-docs")).get("paths");
		JsonNode list = paths.get("/api/v1/events").get("get");
		assertThat(list.get("tags").get(0).asString()).isEqualTo("Events");
		assertThat(parameters(list)).containsExactly("session_id", "type", "turn_id", "session_thread_id", "since",
				"until", "limit", "cursor");
		assertThat(list.get("responses").get("200").get("content").propertyNames()).containsExactly("application/json",
				"application/x-ndjson", "text/csv");
		JsonNode session = paths.get("/api/v1/sessions/{session_id}/events").get("get");
		assertThat(parameters(session)).contains("session_id", "type", "turn_id", "since", "until", "limit", "cursor");
		assertThat(session.get("parameters").values()).allMatch((parameter) -> parameter.has("description"));
	}

	private static List<String> parameters(JsonNode operation) {
		return operation.get("parameters")
			.values()
			.stream()
			.map((parameter) -> parameter.get("name").asString())
			.toList();
	}

	private static String message(String session, String id, Instant at) {
		return TestEvents.message(session, id, at);
	}

	private static String processedOnly(String session, String id, String processedAt) {
		return """
				{"id":"%s","type":"session.status_running","session_id":"%s","processed_at":"%s"}""".formatted(id,
				session, processedAt);
	}

	private static String at(int seconds) {
		return T0.plusSeconds(seconds).toString();
	}

}
