package io.qoderevents.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qoderevents.MutableClock;
import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.contributor.Status;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against recorded upstream pages and injected faults (WireMock). */
class QoderClientTests {

	private static final String SESSION = "sess_019e392c0d1e74e095d21ea4c6b41def";

	private static final String EVENTS = "/api/v1/cloud/sessions/" + SESSION + "/events";

	private final WireMockServer server = new WireMockServer(options().dynamicPort());

	private static final Instant START = Instant.parse("2026-05-18T03:40:00Z");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock(START);

	/** The gate's waits for a request slot; each moves the clock instead of sleeping. */
	private final List<Duration> waits = new ArrayList<>();

	private RequestGate gate;

	private QoderClient client;

	@BeforeEach
	void start() {
		this.server.start();
		this.client = client(Map.of());
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	@Test
	void listEventsWhenFirstPageThenSendsContractRequestAndKeepsRawEvents() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("first-page.json"))));
		EventPage page = success(this.client.listEvents(SESSION, null));
		assertThat(page.events()).hasSize(2);
		assertThat(page.events().get(0).id()).isEqualTo("evt_019e392c0d787cfaa21bda98e06cd913");
		assertThat(page.events().get(0).raw()).startsWith("{\n      \"id\": \"evt_019e392c0d787cfaa21bda98e06cd913\"")
			.contains("\"created_at\": \"2026-05-18T03:40:48.888851795Z\"")
			.endsWith("}");
		assertThat(page.lastId()).isEqualTo("evt_771c1195bcbd4a07834d4ed4dd6450ca");
		assertThat(page.hasMore()).isTrue();
		this.server
			.verify(getRequestedFor(urlPathEqualTo(EVENTS)).withHeader("Authorization", equalTo("Bearer pt-secret"))
				.withHeader("Accept", equalTo("application/json"))
				.withQueryParam("limit", equalTo("100"))
				.withQueryParam("after_id", absent()));
	}

	@Test
	void listEventsWhenCursorGivenThenSendsAfterIdAndReadsNewerVariant() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).withQueryParam("after_id", equalTo("evt_771c+/=&x"))
			.willReturn(okJson(resource("last-page.json")).withHeader("x-request-id", "req_123")));
		EventPage page = success(this.client.listEvents(SESSION, "evt_771c+/=&x"));
		assertThat(page.events()).singleElement()
			.satisfies((event) -> assertThat(event.type()).isEqualTo("session.status_idle"));
		assertThat(page.hasMore()).isFalse();
		assertThat(page.lastId()).isEqualTo("evt_k3m9q2");
		assertThat(page.requestId()).isEqualTo("req_123");
	}

	@Test
	void listEventsWhenEmptyPageThenNoEventsAndNullIds() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("empty-page.json"))));
		EventPage page = success(this.client.listEvents(SESSION, "evt_1"));
		assertThat(page.events()).isEmpty();
		assertThat(page.lastId()).isNull();
		assertThat(page.hasMore()).isFalse();
	}

	@Test
	void listEventsWhenErrorStatusesThenTypedFailuresWithRequestId() {
		Map<Integer, Kind> kinds = Map.of(400, Kind.BAD_REQUEST, 401, Kind.UNAUTHORIZED, 403, Kind.FORBIDDEN, 404,
				Kind.NOT_FOUND, 500, Kind.SERVER_ERROR, 502, Kind.SERVER_ERROR, 503, Kind.SERVER_ERROR, 504,
				Kind.SERVER_ERROR, 418, Kind.CLIENT_ERROR);
		kinds.forEach((status, kind) -> {
			this.server.resetAll();
			this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(status)
				.withHeader("x-request-id", "req_" + status)
				.withHeader("Content-Type", "application/json")
				.withBody(resource("not-found.json"))));
			UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
			assertThat(failure.kind()).as("HTTP %d", status).isEqualTo(kind);
			assertThat(failure.httpStatus()).isEqualTo(status);
			assertThat(failure.requestId()).isEqualTo("req_" + status);
			assertThat(failure.errorType()).isEqualTo("not_found_error");
		});
	}

	@Test
	void listEventsWhenErrorWithoutBodyThenFailureNamesStatus() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(503)));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.kind()).isEqualTo(Kind.SERVER_ERROR);
		assertThat(failure.errorType()).isEqualTo("http_503");
	}

	@Test
	void listEventsWhenUnauthorizedThenFailureKeptForHealthUntilSuccess() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS))
			.willReturn(aResponse().withStatus(401).withBody(resource("unauthorized.json"))));
		assertThat(failure(this.client.listEvents(SESSION, null)).errorType()).isEqualTo("authentication_error");
		assertThat(this.client.authorizationFailure()).isNotNull();
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("empty-page.json"))));
		success(this.client.listEvents(SESSION, null));
		assertThat(this.client.authorizationFailure()).isNull();
	}

	@Test
	void healthWhenNoRequestSucceededYetThenUnknownAndNeverAuthorized() {
		UpstreamHealthIndicator indicator = new UpstreamHealthIndicator(this.client, this.clock);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(indicator.health().getDetails()).doesNotContainKey("authorized");
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(503)));
		failure(this.client.listEvents(SESSION, null));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("empty-page.json"))));
		success(this.client.listEvents(SESSION, null));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(indicator.health().getDetails()).containsEntry("authorized", true);
	}

	@Test
	void clientWhenTokenBlankThenRefusesNamingPropertyAndVariable() {
		assertThatThrownBy(() -> client(Map.of("qoder.upstream.token", " ")))
			.isInstanceOf(MissingSettingException.class)
			.hasMessageContaining("qoder.upstream.token")
			.hasMessageContaining("QODER_PAT");
	}

	@Test
	void listEventsWhenRateLimitedWithSecondsThenWholeClientWaits() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(
				aResponse().withStatus(429).withHeader("Retry-After", "2").withBody(resource("rate-limited.json"))));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
		this.server.resetAll();
		this.server.stubFor(get(urlPathMatching("/api/v1/cloud/sessions/.*/events"))
			.willReturn(okJson(resource("empty-page.json"))));
		assertThat(this.client.pausedUntil()).isEqualTo(START.plusSeconds(2));
		success(this.client.listEvents("sess_00000000000000000000000000000001", null));
		assertThat(this.waits).containsExactly(Duration.ofSeconds(2));
		assertThat(this.server.getAllServeEvents()).hasSize(1);
		assertThat(this.meters.counter("qoder.upstream.retry.after.waits").count()).isEqualTo(1);
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "events", "status", "429").count())
			.isEqualTo(1);
	}

	@Test
	void listEventsWhenRateLimitedWithHttpDateBeyondSlotWaitThenPausedWithoutRequest() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(30).atOffset(ZoneOffset.UTC));
		this.server.stubFor(
				get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(30));
		assertThat(failure(this.client.listEvents(SESSION, null)).kind()).isEqualTo(Kind.PAUSED);
		assertThat(this.server.getAllServeEvents()).hasSize(1);
		assertThat(this.client.pausedUntil()).isEqualTo(START.plusSeconds(30));
		assertThat(this.waits).isEmpty();
	}

	@Test
	void listEventsWhenConnectionResetThenConnectionFailure() {
		this.server
			.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThat(failure(this.client.listEvents(SESSION, null)).kind()).isEqualTo(Kind.CONNECTION);
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		assertThat(failure(this.client.listEvents(SESSION, null)).kind()).isEqualTo(Kind.CONNECTION);
	}

	@Test
	void listEventsWhenSlowerThanReadTimeoutThenAbandonedAsTimeout() {
		this.client = client(Map.of("qoder.upstream.read-timeout", "300ms"));
		this.server
			.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("empty-page.json")).withFixedDelay(3000)));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
		assertThat(failure.message()).isEqualTo("no response within PT0.3S");
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "events", "status", "timeout").count())
			.isEqualTo(1);
	}

	@Test
	void listEventsWhenBodyTricklesLongerThanReadTimeoutThenAbandonedAsTimeout() {
		// every chunk arrives well within the read timeout, the whole body does not
		this.client = client(Map.of("qoder.upstream.read-timeout", "1s"));
		this.server.stubFor(get(urlPathEqualTo(EVENTS))
			.willReturn(okJson(resource("first-page.json")).withChunkedDribbleDelay(20, 3000)));
		assertThat(failure(this.client.listEvents(SESSION, null)).kind()).isEqualTo(Kind.TIMEOUT);
	}

	@Test
	void listEventsWhenConnectionRefusedThenConnectionFailure() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.client = client(Map.of("qoder.upstream.base-url", "http://127.0.0.1:" + port + "/api/v1/cloud"));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.kind()).isEqualTo(Kind.CONNECTION);
		assertThat(failure.errorType()).isEqualTo("connection_error");
	}

	@Test
	void listEventsWhenHostUnknownThenConnectionFailure() {
		this.client = client(Map.of("qoder.upstream.base-url", "http://qoder-upstream.invalid/api/v1/cloud"));
		UpstreamFailure<EventPage> failure = failure(this.client.listEvents(SESSION, null));
		assertThat(failure.kind()).isEqualTo(Kind.CONNECTION);
		assertThat(failure.errorType()).isEqualTo("unknown_host");
		assertThat(failure.message()).isEqualTo("could not resolve qoder-upstream.invalid");
	}

	@Test
	void listEventsWhenBodyMalformedThenMalformedFailure() {
		Map<String, String> bodies = Map.of("not json", "<html>gateway</html>", "truncated",
				resource("first-page.json").substring(0, 300), "data not an array", "{\"data\": {\"id\": \"evt_1\"}}",
				"no data", "{\"has_more\": false}", "has_more not boolean", "{\"data\": [], \"has_more\": \"yes\"}");
		bodies.forEach((name, body) -> {
			this.server.resetAll();
			this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(body)));
			assertThat(failure(this.client.listEvents(SESSION, null)).kind()).as(name).isEqualTo(Kind.MALFORMED);
		});
	}

	@Test
	void listEventsWhenRateCapSetThenRequestsSpacedOut() {
		this.client = client(Map.of("qoder.upstream.max-requests-per-second", "10"));
		this.server.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(resource("empty-page.json"))));
		for (int i = 0; i < 11; i++) {
			success(this.client.listEvents(SESSION, null));
		}
		assertThat(this.server.getAllServeEvents()).hasSize(11);
		assertThat(this.waits).hasSize(10).containsOnly(Duration.ofMillis(100));
		assertThat(this.gate.nextSlot()).isEqualTo(START.plusMillis(1100));
	}

	@Test
	void listSessionsWhenPageThenValidIdsOnlyWithTheirSnapshots() {
		this.server.stubFor(get(urlPathEqualTo("/api/v1/cloud/sessions")).willReturn(okJson("""
				{"data":[{"id":"sess_019e392c0d1e74e095d21ea4c6b41def","status":"idle",
				          "updated_at":"2026-08-30T10:00:00.5Z","usage":{"total_credits":4.63},
				          "archived_at":"2026-08-31T00:00:00Z"},{"id":"../etc"}],
				 "first_id":"sess_019e392c0d1e74e095d21ea4c6b41def","last_id":"../etc","has_more":true,
				 "next_page":"opaque+/token"}""")));
		SessionPage page = success(this.client.listSessions(SessionQuery.ALL, null));
		assertThat(page.sessionIds()).containsExactly("sess_019e392c0d1e74e095d21ea4c6b41def");
		SessionSnapshot session = page.sessions().get(0);
		assertThat(session.status()).isEqualTo("idle");
		assertThat(session.totalCredits()).isEqualByComparingTo("4.63");
		assertThat(session.archived()).isTrue();
		assertThat(page.more()).isTrue();
		success(this.client.listSessions(new SessionQuery(List.of("running", "rescheduling"), false), page));
		assertThat(this.server.getAllServeEvents().get(0).getRequest().getUrl())
			.isEqualTo("/api/v1/cloud/sessions?limit=100&statuses%5B%5D=running&statuses%5B%5D=rescheduling"
					+ "&page=opaque%2B%2Ftoken");
		assertThat(this.server.getAllServeEvents().get(1).getRequest().getUrl())
			.isEqualTo("/api/v1/cloud/sessions?limit=100&include_archived=true");
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "sweep", "status", "200").count())
			.isEqualTo(2);
	}

	@Test
	void listEventsWhenABurstOfTransientFaultsThenRetriedWithinTwoCallsAndCounted() {
		String[] states = { "429a", "429b", "503a", "503b", "reset", "not-json", "truncated", "ok" };
		List<ResponseDefinitionBuilder> answers = List.of(aResponse().withStatus(429).withHeader("Retry-After", "1"),
				aResponse().withStatus(429).withHeader("Retry-After", "1"),
				aResponse().withStatus(503).withHeader("Content-Type", "text/html").withBody("<html>busy</html>"),
				aResponse().withStatus(503).withHeader("Content-Type", "text/html").withBody("<html>busy</html>"),
				aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), okJson("this is not json"),
				okJson("{\"data\":[{\"id\":\"evt_1\",\"type\":\"user.mess"), okJson(resource("first-page.json")));
		for (int i = 0; i < states.length; i++) {
			this.server.stubFor(get(urlPathEqualTo(EVENTS)).inScenario("burst")
				.whenScenarioStateIs((i == 0) ? Scenario.STARTED : states[i - 1])
				.willReturn(answers.get(i))
				.willSetStateTo(states[i]));
		}
		QoderClient retrying = client(Map.of("qoder.upstream.max-attempts", "3", "qoder.upstream.retry-delay", "50ms"));
		UpstreamFailure<EventPage> first = failure(retrying.listEvents(SESSION, null));
		assertThat(first.kind()).isEqualTo(Kind.CONNECTION);
		assertThat(this.server.getAllServeEvents()).hasSize(5);
		success(retrying.listEvents(SESSION, null));
		assertThat(this.server.getAllServeEvents()).hasSize(8);
		assertThat(this.meters.counter("qoder.upstream.retries", "kind", "rate_limited").count()).isEqualTo(2);
		assertThat(this.meters.counter("qoder.upstream.retries", "kind", "server_error").count()).isEqualTo(2);
		assertThat(this.meters.counter("qoder.upstream.retries", "kind", "malformed").count()).isEqualTo(2);
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "events", "status", "429").count())
			.isEqualTo(2);
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "events", "status", "503").count())
			.isEqualTo(2);
	}

	@Test
	void streamEventsWhenOpenedThenResumesFromTheCursorWithTheTokenAndDecodesFrames() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS + "/stream")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withHeader("x-request-id", "req_s1")
			.withBody(
					": heartbeat\n\nid: evt_2\nevent: user.message\ndata: {\"id\":\"evt_2\",\"type\":\"user.message\"}"
							+ "\n\nevent: event_delta\ndata: {}\n\n")));
		List<StreamFrame> frames = this.client.streamEvents(SESSION, "evt_1").collectList().block();
		assertThat(frames).extracting(StreamFrame::kind)
			.containsExactly(StreamFrame.Kind.HEARTBEAT, StreamFrame.Kind.EVENT, StreamFrame.Kind.DELTA);
		assertThat(frames.get(1).event().raw()).isEqualTo("{\"id\":\"evt_2\",\"type\":\"user.message\"}");
		this.server.verify(getRequestedFor(urlPathEqualTo(EVENTS + "/stream"))
			.withHeader("Authorization", equalTo("Bearer pt-secret"))
			.withHeader("Accept", equalTo("text/event-stream"))
			.withHeader("Last-Event-ID", equalTo("evt_1")));
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "stream", "status", "200").count())
			.isOne();
	}

	@Test
	void streamEventsWhenResumeIdUnknownThenOneFailedFrameWithTheUpstreamError() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS + "/stream")).willReturn(aResponse().withStatus(400)
			.withHeader("x-request-id", "req_s2")
			.withBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
					+ "\"message\":\"Unknown event id\"}}")));
		List<StreamFrame> frames = this.client.streamEvents(SESSION, "evt_gone").collectList().block();
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.kind()).isEqualTo(StreamFrame.Kind.FAILED);
			assertThat(frame.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
			assertThat(frame.failure().errorType()).isEqualTo("invalid_request_error");
			assertThat(frame.failure().requestId()).isEqualTo("req_s2");
		});
		assertThat(this.meters.counter("qoder.upstream.requests", "purpose", "stream", "status", "400").count())
			.isOne();
	}

	@Test
	void streamEventsWhenConnectionResetThenOneFailedConnectionFrame() {
		this.server.stubFor(get(urlPathEqualTo(EVENTS + "/stream"))
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThat(this.client.streamEvents(SESSION, "evt_1").collectList().block()).singleElement()
			.satisfies((frame) -> assertThat(frame.failure().kind()).isEqualTo(Kind.CONNECTION));
	}

	private QoderClient client(Map<String, String> settings) {
		Map<String, String> all = new HashMap<>(settings);
		all.putIfAbsent("qoder.upstream.base-url", this.server.baseUrl() + "/api/v1/cloud");
		all.putIfAbsent("qoder.upstream.token", "pt-secret");
		all.putIfAbsent("qoder.upstream.max-requests-per-second", "1000");
		all.putIfAbsent("qoder.upstream.max-attempts", "1");
		QoderProperties properties = new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("qoder",
				QoderProperties.class);
		this.gate = new RequestGate(this.clock, properties.upstream().maxRequestsPerSecond(), (wait) -> {
			this.waits.add(wait);
			this.clock.advance(wait);
		});
		return new QoderClient(WebClient.builder(), properties, this.meters, this.gate, this.clock);
	}

	private static <T> T success(FetchResult<T> result) {
		assertThat(result).isInstanceOf(FetchResult.Success.class);
		return ((FetchResult.Success<T>) result).page();
	}

	private static <T> UpstreamFailure<T> failure(FetchResult<T> result) {
		assertThat(result).isInstanceOf(UpstreamFailure.class);
		return (UpstreamFailure<T>) result;
	}

	private static String resource(String name) {
		try (InputStream in = QoderClientTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
