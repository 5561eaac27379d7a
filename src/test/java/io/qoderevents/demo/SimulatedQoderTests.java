package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import io.qoderevents.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedQoderTests {

	private static final String AUTH = "Bearer t0ken";

	private static final String SESSION = "sess_019e392c0d1e74e095d21ea4c6b41def";

	private final SimulatedQoder qoder = new SimulatedQoder("t0ken", Clock.systemUTC());

	private final Random random = new Random(7);

	@Test
	void listEventsWhenSessionEmptyThenEmptyPage() {
		this.qoder.createSession(SESSION);
		SimulatedResponse response = list(Map.of());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body())
			.isEqualTo("{\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false,\"next_page\":null}");
		assertThat(response.header("X-Request-Id")).matches("req_[0-9a-f]{24}");
	}

	@Test
	void listEventsWhenNoLimitThenTwenty() {
		seed(25);
		JsonNode page = json(list(Map.of()));
		assertThat(page.get("data").size()).isEqualTo(20);
		assertThat(page.get("has_more").asBoolean()).isTrue();
		assertThat(page.get("first_id").asString()).isEqualTo(this.qoder.eventIds(SESSION).get(0));
		assertThat(page.get("last_id").asString()).isEqualTo(this.qoder.eventIds(SESSION).get(19));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "101", "-1", "abc", "", "20.5" })
	void listEventsWhenLimitOutOfBoundsThenBadRequest(String limit) {
		seed(3);
		assertError(list(Map.of("limit", limit)), 400, "invalid_request_error", "limit");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 100 })
	void listEventsWhenLimitAtBoundThenThatMany(int limit) {
		seed(150);
		assertThat(json(list(Map.of("limit", String.valueOf(limit)))).get("data").size()).isEqualTo(limit);
	}

	@Test
	void listEventsWhenPagingAfterLastIdThenEveryEventOnceInOrder() {
		seed(250);
		List<String> ids = new ArrayList<>();
		Map<String, String> query = new LinkedHashMap<>(Map.of("limit", "100"));
		JsonNode page;
		do {
			page = json(list(query));
			page.get("data").forEach((event) -> ids.add(event.get("id").asString()));
			query.put("after_id", page.get("last_id").asString());
		}
		while (page.get("has_more").asBoolean());
		assertThat(ids).containsExactlyElementsOf(this.qoder.eventIds(SESSION)).hasSize(250);
		assertThat(this.qoder.requestCount()).isEqualTo(3);
		assertThat(json(list(query)).get("data").size()).isZero();
	}

	@Test
	void listEventsWhenPagingWithNextPageThenEveryEventOnceInOrder() {
		seed(45);
		List<String> ids = new ArrayList<>();
		Map<String, String> query = new LinkedHashMap<>(Map.of("limit", "20"));
		JsonNode page;
		do {
			page = json(list(query));
			page.get("data").forEach((event) -> ids.add(event.get("id").asString()));
			query.put("page", page.get("next_page").asString());
		}
		while (page.get("has_more").asBoolean());
		assertThat(ids).containsExactlyElementsOf(this.qoder.eventIds(SESSION));
	}

	@Test
	void listEventsWhenBeforeIdOrDescendingThenEarlierEvents() {
		seed(10);
		List<String> ids = this.qoder.eventIds(SESSION);
		JsonNode before = json(list(Map.of("before_id", ids.get(5), "limit", "3")));
		assertThat(before.get("data").valueStream().map((event) -> event.get("id").asString()))
			.containsExactlyElementsOf(ids.subList(2, 5));
		assertThat(before.get("has_more").asBoolean()).isTrue();
		JsonNode descending = json(list(Map.of("order", "desc", "limit", "2")));
		assertThat(descending.get("first_id").asString()).isEqualTo(ids.get(9));
		assertThat(descending.get("last_id").asString()).isEqualTo(ids.get(8));
	}

	@ParameterizedTest
	@CsvSource({ "after_id,before_id", "after_id,page", "before_id,page" })
	void listEventsWhenCursorsCombinedThenBadRequest(String first, String second) {
		seed(3);
		String id = this.qoder.eventIds(SESSION).get(0);
		assertThat(list(Map.of(first, id, second, id)).status()).isEqualTo(400);
	}

	@Test
	void listEventsWhenCursorUnknownThenBadRequest() {
		seed(3);
		assertError(list(Map.of("after_id", "evt_unknown")), 400, "invalid_request_error", "after_id");
		assertError(list(Map.of("before_id", "evt_unknown")), 400, "invalid_request_error", "before_id");
		assertError(list(Map.of("page", "!!")), 400, "invalid_request_error", "page");
		assertError(list(Map.of("order", "up")), 400, "invalid_request_error", "order");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Bearer wrong", "Basic t0ken", "t0ken" })
	void listEventsWhenTokenWrongThenUnauthorized(String authorization) {
		seed(1);
		SimulatedResponse response = this.qoder.listEvents(authorization.isEmpty() ? null : authorization,
				"application/json", SESSION, Map.of());
		JsonNode error = assertError(response, 401, "authentication_error", null);
		assertThat(error.get("request_id").asString()).isEqualTo(response.header("x-request-id"));
	}

	@Test
	void listEventsWhenSessionUnknownOrDeletedThenNotFound() {
		assertError(list(Map.of()), 404, "not_found_error", null);
		seed(2);
		this.qoder.deleteSession(SESSION);
		assertThat(this.qoder.exists(SESSION)).isFalse();
		assertError(list(Map.of()), 404, "not_found_error", null);
	}

	@ParameterizedTest
	@ValueSource(strings = { "sess_123", "sess_019E392C0D1E74E095D21EA4C6B41DEF", "x", "../sessions" })
	void listEventsWhenSessionIdInvalidThenBadRequest(String sessionId) {
		assertThat(this.qoder.listEvents(AUTH, null, sessionId, Map.of()).status()).isEqualTo(400);
	}

	@Test
	void listEventsWhenFaultsInjectedThenAnsweredBeforeProcessing() {
		seed(3);
		this.qoder.failNext(null, 2, 429, Map.of("Retry-After", "3"), null);
		this.qoder.failNext("sess_00000000000000000000000000000000", 1, 503, null, null);
		this.qoder.failNext(SESSION, 1, 200, null, "{\"data\":[{\"id\":");
		for (int i = 0; i < 2; i++) {
			SimulatedResponse limited = this.qoder.listEvents(null, null, SESSION, Map.of("limit", "0"));
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("retry-after")).isEqualTo("3");
			assertThat(limited.header("x-request-id")).startsWith("req_");
			assertThat(limited.body()).isEmpty();
		}
		assertThat(list(Map.of()).body()).isEqualTo("{\"data\":[{\"id\":");
		assertThat(list(Map.of()).status()).isEqualTo(200);
		assertThat(this.qoder.requestCount()).isEqualTo(4);
	}

	@Test
	void listEventsWhenDelayInjectedThenAnswersLate() {
		seed(1);
		this.qoder.delayNext(SESSION, 1, Duration.ofMillis(150));
		long start = System.nanoTime();
		assertThat(list(Map.of()).status()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
	}

	@Test
	void listEventsWhenEventsAppendedThenServesTheirTextVerbatim() {
		this.qoder.createSession(SESSION);
		List<String> texts = List.of("{ \"id\" : \"evt_b\",\n \"type\":\"user.message\", \"n\": 1.50 }",
				"{\"type\":\"agent.message\",\"id\":\"evt_a\",\"content\":\"\\u00e9t\u00e9 \\\"q\\\"\"}",
				"{\"id\":\"evt_c\",\"type\":\"idle\",\"created_at\":\"2026-05-18T03:40:48.888851795Z\"}");
		this.qoder.appendAll(SESSION, texts);
		assertThat(this.qoder.events(SESSION)).containsExactlyElementsOf(texts);
		assertThat(this.qoder.eventIds(SESSION)).containsExactly("evt_b", "evt_a", "evt_c");
		assertThat(list(Map.of()).body()).startsWith("{\"data\":[" + String.join(",", texts) + "],");
		assertThat(json(list(Map.of("after_id", "evt_a"))).get("first_id").asString()).isEqualTo("evt_c");
	}

	@Test
	void listEventsWhenRequestedThenLogsPathAndQuery() {
		seed(1);
		list(new LinkedHashMap<>(Map.of("limit", "100")));
		this.qoder.listSessions(AUTH, Map.of());
		assertThat(this.qoder.requestLog()).containsExactly("/sessions/" + SESSION + "/events?limit=100", "/sessions");
		this.qoder.reset();
		assertThat(this.qoder.requestLog()).isEmpty();
		assertThat(this.qoder.requestCount()).isZero();
		assertThat(this.qoder.exists(SESSION)).isFalse();
	}

	@Test
	void listEventsWhenAcceptingEventStreamThenNotJson() {
		seed(1);
		SimulatedResponse response = this.qoder.listEvents(AUTH, "text/event-stream", SESSION, Map.of());
		assertThat(response.header("content-type")).isEqualTo("text/event-stream");
	}

	@Test
	void listSessionsWhenSessionsExistThenNewestFirstWithStatus() {
		String idle = "sess_" + DemoIds.uuid4(this.random);
		String terminated = "sess_" + DemoIds.uuid4(this.random);
		this.qoder.createSession(idle);
		this.qoder.createSession(terminated);
		this.qoder.appendAll(terminated, List.of("{\"id\":\"evt_1\",\"type\":\"session.status_running\"}",
				"{\"id\":\"evt_2\",\"type\":\"terminated\"}", "{\"id\":\"evt_3\",\"type\":\"session.status_idle\"}"));
		JsonNode page = json(this.qoder.listSessions(AUTH, Map.of()));
		assertThat(page.get("data").valueStream().map((session) -> session.get("id").asString()))
			.containsExactly(terminated, idle);
		assertThat(page.get("data").get(0).get("status").asString()).isEqualTo("terminated");
		assertThat(page.get("data").get(1).get("status").asString()).isEqualTo("idle");
		assertThat(json(this.qoder.listSessions(AUTH, Map.of("limit", "1", "after_id", terminated))).get("first_id")
			.asString()).isEqualTo(idle);
		assertThat(this.qoder.listSessions("Bearer x", Map.of()).status()).isEqualTo(401);
	}

	@Test
	void streamEventsWhenResumedThenTheEventsAfterTheIdAndEachNewOneThenEndsAfterATerminal() {
		seed(3);
		List<String> ids = this.qoder.eventIds(SESSION);
		SimulatedEventStream stream = this.qoder.streamEvents(AUTH, SESSION, ids.get(0));
		assertThat(stream.head().status()).isEqualTo(200);
		assertThat(stream.head().header("Content-Type")).isEqualTo("text/event-stream");
		this.qoder.append(SESSION, "{\"id\":\"evt_end\",\"type\":\"session.status_terminated\"}");
		List<String> chunks = stream.frames().collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).containsExactly(frame(ids.get(1), 1), frame(ids.get(2), 2),
				"id: evt_end\nevent: session.status_terminated\ndata: {\"id\":\"evt_end\",\"type\":"
						+ "\"session.status_terminated\"}\n\n");
		// the stream counts as closed once its doFinally has run, just after the last
		// frame arrives
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.qoder.openStreams(SESSION) != 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.qoder.openStreams(SESSION)).isZero();
		assertThat(this.qoder.mostOpenStreams(SESSION)).isOne();
	}

	@Test
	void streamEventsWhenInjectedThenWrittenAfterThatManyEventsAndADropEndsIt() {
		seed(3);
		this.qoder.injectIntoStream(SESSION, 1, ": heartbeat\n\n");
		this.qoder.injectIntoStream(SESSION, 2, null);
		List<String> chunks = this.qoder.streamEvents(AUTH, SESSION, this.qoder.eventIds(SESSION).get(0))
			.frames()
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).hasSize(3).element(1).isEqualTo(": heartbeat\n\n");
	}

	@Test
	void streamEventsWhenQuietThenHeartbeats() {
		seed(1);
		this.qoder.streamHeartbeat(Duration.ofMillis(10));
		List<String> chunks = this.qoder.streamEvents(AUTH, SESSION, this.qoder.eventIds(SESSION).get(0))
			.frames()
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).containsOnly(": heartbeat\n\n");
	}

	@Test
	void streamEventsWhenIdUnknownThenBadRequestAndWithoutIdFromTheTail() {
		seed(2);
		SimulatedEventStream unknown = this.qoder.streamEvents(AUTH, SESSION, "evt_unknown");
		assertThat(unknown.frames()).isNull();
		assertError(unknown.head(), 400, "invalid_request_error", "Last-Event-ID");
		SimulatedEventStream tail = this.qoder.streamEvents(AUTH, SESSION, null);
		this.qoder.append(SESSION, "{\"id\":\"evt_new\",\"type\":\"terminated\"}");
		assertThat(tail.frames().collectList().block(Duration.ofSeconds(10))).singleElement()
			.asString()
			.startsWith("id: evt_new\n");
		assertThat(this.qoder.streamEvents("Bearer wrong", SESSION, null).head().status()).isEqualTo(401);
		assertThat(this.qoder.streamOpens()).isEqualTo(3);
	}

	@Test
	void getSessionWhenClockMovesThenItsTimesAreTheClocks() {
		Instant start = Instant.parse("2026-12-01T10:00:00Z");
		MutableClock clock = new MutableClock(start);
		SimulatedQoder timed = new SimulatedQoder("t0ken", clock);
		timed.createSession(SESSION);
		clock.advance(Duration.ofSeconds(90));
		timed.append(SESSION, "{\"id\":\"evt_a\",\"type\":\"user.message\"}");
		JsonNode appended = json(timed.getSession(AUTH, SESSION));
		assertThat(appended.get("created_at").asString()).isEqualTo("2026-12-01T10:00:00Z");
		assertThat(appended.get("updated_at").asString()).isEqualTo("2026-12-01T10:01:30Z");
		assertThat(appended.get("stats").get("duration_seconds").asLong()).isEqualTo(90);
		clock.advance(Duration.ofSeconds(10));
		timed.setStatus(SESSION, "running");
		assertThat(json(timed.getSession(AUTH, SESSION)).get("updated_at").asString())
			.isEqualTo("2026-12-01T10:01:40Z");
		clock.advance(Duration.ofSeconds(5));
		timed.archiveSession(SESSION);
		JsonNode archived = json(timed.getSession(AUTH, SESSION));
		assertThat(archived.get("archived_at").asString()).isEqualTo("2026-12-01T10:01:45Z");
		assertThat(archived.get("updated_at").asString()).isEqualTo("2026-12-01T10:01:45Z");
	}

	@Test
	void streamEventsWhenClockPassesTheHeartbeatThenAHeartbeatAndPastTheLifetimeThenTheEnd() {
		MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
		SimulatedQoder timed = new SimulatedQoder("t0ken", clock);
		timed.createSession(SESSION);
		timed.streamHeartbeat(Duration.ofMinutes(1));
		timed.streamLifetime(Duration.ofMinutes(5));
		SimulatedEventStream beating = timed.streamEvents(AUTH, SESSION, null);
		clock.advance(Duration.ofMinutes(1));
		assertThat(beating.frames().take(1).collectList().block(Duration.ofSeconds(10)))
			.containsExactly(": heartbeat\n\n");
		SimulatedEventStream ending = timed.streamEvents(AUTH, SESSION, null);
		clock.advance(Duration.ofMinutes(6));
		assertThat(ending.frames().collectList().block(Duration.ofSeconds(10))).isEmpty();
	}

	private String frame(String id, int n) {
		String json = "{\"id\":\"" + id + "\",\"type\":\"user.message\",\"content\":\"m" + n + "\"}";
		return "id: " + id + "\nevent: user.message\ndata: " + json + "\n\n";
	}

	private void seed(int count) {
		this.qoder.createSession(SESSION);
		this.qoder.appendAll(SESSION, IntStream.range(0, count).mapToObj((i) -> {
			String id = DemoIds.eventId(Instant.now(), this.random);
			return "{\"id\":\"" + id + "\",\"type\":\"user.message\",\"content\":\"m" + i + "\"}";
		}).toList());
	}

	private SimulatedResponse list(Map<String, String> query) {
		return this.qoder.listEvents(AUTH, "application/json", SESSION, query);
	}

	private static JsonNode json(SimulatedResponse response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return JsonMapper.shared().readTree(response.body());
	}

	private static JsonNode assertError(SimulatedResponse response, int status, String type, String param) {
		assertThat(response.status()).isEqualTo(status);
		JsonNode body = JsonMapper.shared().readTree(response.body());
		assertThat(body.get("type").asString()).isEqualTo("error");
		assertThat(body.get("error").get("type").asString()).isEqualTo(type);
		assertThat(body.get("error").path("param").asString(null)).isEqualTo(param);
		return body;
	}

}
