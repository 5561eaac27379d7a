package io.qoderevents.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or careless caller sends gets a 4xx problem, never a 500, and changes
 * nothing stored.
 */
class HostileRequestTests extends IntegrationTest {

	private static final String TRACKED = "sess_0123456789abcdef0123456789abcdef";

	@Value("${local.management.port}")
	private int managementPort;

	@BeforeEach
	void trackOne() {
		assertThat(post("{\"session_id\":\"" + TRACKED + "\"}").status()).isEqualTo(201);
	}

	@AfterEach
	void nothingChanged() {
		assertThat(this.jdbc.sql("select session_id from tracked_session").query(String.class).list())
			.containsExactly(TRACKED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "sess_0123%2F456789abcdef0123456789abcdef",
			"sess_0123456789abcdef0123456789abcdef%3Fx=1", "sess_%C3%A9%E4%B8%AD", "sess_' or '1'='1",
			"sess_0123456789ABCDEF0123456789ABCDEF", "sess_0123456789abcdef0123456789abcdef0", "%00", "a%20b" })
	void getWhenSessionIdMalformedThen400Problem(String id) {
		Response response = this.api.getRaw("/api/v1/tracked-sessions/" + id.replace("'", "%27").replace(" ", "%20"));
		assertProblem(response, 400);
	}

	@Test
	void getWhenSessionIdHugeThen4xxProblem() {
		Response response = this.api.getRaw("/api/v1/tracked-sessions/sess_" + "a".repeat(5000));
		assertProblem(response, 400);
	}

	@Test
	void getWhenSessionIdUnknownThen404Problem() {
		assertProblem(this.api.getRaw("/api/v1/tracked-sessions/" + TestEvents.sessionId()), 404);
		assertProblem(this.api.exchange(HttpMethod.DELETE, "/api/v1/tracked-sessions/" + TestEvents.sessionId(), null),
				404);
		assertProblem(this.api.post("/api/v1/tracked-sessions/" + TestEvents.sessionId() + "/sync", null), 404);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "0", "-1", "1001", "99999999999999999999", "abc", "1.5", "%27%3B%20drop%20table%20event%3B--" })
	void listWhenLimitInvalidThen400NamingLimit(String limit) {
		Response response = this.api.getRaw("/api/v1/tracked-sessions?limit=" + limit);
		assertProblem(response, 400);
		assertThat(response.body()).contains("\"field\":\"limit\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "eyJ4IjoxfQ.0000000000000000", "%27%20or%201%3D1--", "" + "A" })
	void listWhenCursorMalformedOrTamperedThen400NamingCursor(String cursor) {
		Response response = this.api.getRaw("/api/v1/tracked-sessions?cursor=" + cursor);
		assertProblem(response, 400);
		assertThat(response.body()).contains("\"field\":\"cursor\"");
	}

	@Test
	void listWhenStateUnknownOrSqlThen400NamingState() {
		Response response = this.api.getRaw("/api/v1/tracked-sessions?state=active%27%20or%20%271%27=%271");
		assertProblem(response, 400);
		assertThat(response.body()).contains("\"field\":\"state\"");
	}

	@Test
	void postWhenBodyMalformedOrWrongThen400Problem() {
		for (String body : List.of("{", "not json", "[]", "{\"session_id\": 42}", "{}", "{\"session_id\":null}",
				"{\"session_id\":\"../../x\"}", "{\"session_id\":\"" + "a".repeat(5000) + "\"}")) {
			assertProblem(post(body), 400);
		}
	}

	@Test
	void postWhenSessionIdMissingThen400NamingSessionIdInSnakeCase() {
		Response response = post("{}");
		assertProblem(response, 400);
		assertThat(response.body()).contains("\"field\":\"session_id\"").doesNotContain("sessionId");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/events?sessionid=" + TRACKED, "/api/v1/events?limit=5&session=" + TRACKED,
			"/api/v1/sessions/" + TRACKED + "/events?turnid=x", "/api/v1/tracked-sessions?status=active",
			"/api/v1/tracked-sessions/" + TRACKED + "?verbose=1", "/api/v1/usage?groupby=day",
			"/api/v1/sessions/" + TRACKED + "/usage?tz=UTC", "/api/v1/errors?type=billing_error",
			"/api/v1/sessions/" + TRACKED + "/errors?group_by=type" })
	void readWhenQueryParameterUnknownThen400ListingTheAcceptedOnes(String uri) {
		Response response = this.api.getRaw(uri);
		assertProblem(response, 400);
		String unknown = uri.replaceAll(".*[?&]([a-z_]+)=[^&]*$", "$1");
		JsonNode problem = Api.JSON.readTree(response.body());
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(unknown);
		assertThat(problem.get("accepted_parameters").isArray()).isTrue();
		assertThat(problem.get("accepted_parameters").values().stream().map(JsonNode::asString))
			.doesNotContain(unknown);
		assertThat(problem.get("detail").asString()).contains(unknown, "accepts");
	}

	@Test
	void readWhenQueryParametersKnownThenEachEndpointAcceptsItsOwn() {
		assertThat(this.api
			.getRaw("/api/v1/events?session_id=" + TRACKED + "&type=x&turn_id=t&session_thread_id=s"
					+ "&since=2026-05-18T00:00:00Z&until=2026-05-19T00:00:00Z&limit=5&cursor=")
			.status()).isEqualTo(200);
		assertThat(this.api.getRaw("/api/v1/events?session_id=" + TRACKED, "Accept", "application/x-ndjson").status())
			.isEqualTo(200);
		Response export = this.api.getRaw("/api/v1/events?sessionid=" + TRACKED, "Accept", "text/csv");
		assertThat(export.status()).isEqualTo(400);
		assertThat(export.body()).contains("\"field\":\"sessionid\"");
		assertThat(this.api.getRaw("/api/v1/tracked-sessions?state=active&limit=1").status()).isEqualTo(200);
		assertThat(this.api.getRaw("/api/v1/usage?group_by=day&tz=UTC&session_id=" + TRACKED).status()).isEqualTo(200);
		assertThat(this.api.getRaw("/api/v1/sessions/" + TRACKED + "/errors?since=2026-05-18T00:00:00Z").status())
			.isEqualTo(200);
	}

	@Test
	void rootWhenNoKeyThenIndexOfLinks() {
		JsonNode index = Api.json(this.api.getRaw("/"));
		assertThat(index.get("service").asString()).isEqualTo("qoder-events");
		assertThat(index.get("api").get("events").asString()).isEqualTo("/api/v1/events");
		assertThat(index.get("api_docs").asString()).isEqualTo("/v3/api-docs");
		assertThat(index.get("swagger_ui").asString()).isEqualTo("/swagger-ui.html");
		assertThat(index.get("management").get("health").asString())
			.isEqualTo("http://127.0.0.1:" + this.managementPort + "/actuator/health");
		assertThat(Api.json(this.api.getRaw(index.get("api").get("tracked_sessions").asString())).has("data")).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/health/readiness" })
	void actuatorWhenAskedOnTheApiPortThen404NamingTheManagementPort(String path) {
		Response response = this.api.getRaw(path);
		assertProblem(response, 404);
		String management = "http://127.0.0.1:" + this.managementPort + "/actuator";
		assertThat(response.body()).contains(management + path.substring("/actuator".length()));
		assertThat(new Api(this.managementPort).getRaw("/actuator/health").status()).isEqualTo(200);
	}

	@Test
	void preflightWhenCorsNotConfiguredThenNoCorsHeaders() {
		Response response = this.api.exchange(HttpMethod.OPTIONS, "/api/v1/events", null, "Origin",
				"https://dash.example.com", "Access-Control-Request-Method", "GET");
		assertThat(response.headers().getAccessControlAllowOrigin()).isNull();
		Response get = this.api.getRaw("/api/v1/events", "Origin", "https://dash.example.com");
		assertThat(get.headers().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void postWhenBodyOversizedThen413Problem() {
		String body = "{\"session_id\":\"" + TestEvents.sessionId() + "\",\"pad\":\"" + "x".repeat(2_000_000) + "\"}";
		assertProblem(post(body), 413);
	}

	@Test
	void requestWhenWrongMethodMediaTypeOrPathThenMatching4xxProblem() {
		assertProblem(
				this.api.exchange(HttpMethod.PUT, "/api/v1/tracked-sessions", "{}", "Content-Type", "application/json"),
				405);
		assertProblem(this.api.post("/api/v1/tracked-sessions", "session_id=x", "Content-Type", "text/plain"), 415);
		assertProblem(this.api.getRaw("/api/v1/tracked-sessions", "Accept", "image/png"), 406);
		assertProblem(this.api.getRaw("/api/v1/no-such-thing"), 404);
		assertProblem(this.api.getRaw("/nothing-here"), 404);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/events?session_id=sess_0123456789abcdef0123456789abcdef%27%20or%201=1--",
			"/api/v1/events?since=2026-05-19T00:00:00Z&until=2026-05-18T00:00:00Z", "/api/v1/events?since=yesterday",
			"/api/v1/events?limit=0", "/api/v1/events?limit=-5", "/api/v1/events?limit=1001", "/api/v1/events?limit=x",
			"/api/v1/events?cursor=%27%20or%201=1", "/api/v1/usage?tz=Mars/Olympus",
			"/api/v1/usage?tz=%27%3Bselect%201", "/api/v1/usage?group_by=week", "/api/v1/usage?group_by=%27--",
			"/api/v1/errors?group_by=%3Bdelete", "/api/v1/errors?since=2026-13-45T00:00:00Z",
			"/api/v1/sessions/..%2F..%2Fetc/events", "/api/v1/sessions/sess_x%27%3B/usage",
			"/api/v1/sessions/sess_0123456789abcdef0123456789abcdef/events?cursor=" + "Zm9v.0123456789abcdef",
			"/api/v1/usage?cursor=dHJhY2tlZC1zZXNzaW9ucx9zZXNzXzE.ffffffffffffffff" })
	void readWhenFilterHostileThen400ProblemAndNothingChanged(String uri) {
		long events = this.jdbc.sql("select count(*) from event").query(Long.class).single();
		assertProblem(this.api.getRaw(uri), 400);
		assertThat(this.jdbc.sql("select count(*) from event").query(Long.class).single()).isEqualTo(events);
	}

	@Test
	void readWhenFilterHoldsSqlMetacharactersButIsWellFormedThenEmptyResultNot500() {
		for (String uri : List.of("/api/v1/events?type=a%27b%22c%5C%25_", "/api/v1/events?turn_id=%25",
				"/api/v1/events?type=%27%3B%20drop%20table%20event%3B--",
				"/api/v1/events?turn_id=%27%20or%20%271%27=%271",
				"/api/v1/errors?session_id=sess_0123456789abcdef0123456789abcdef&group_by=message")) {
			Response response = this.api.getRaw(uri);
			assertThat(response.status()).as(uri).isEqualTo(200);
			assertThat(response.body()).contains("\"data\":[]");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/events?cursor=garbage%%%", "/api/v1/events?type=a%", "/api/v1/events?%%=1",
			"/api/v1/tracked-sessions?cursor=%%", "/api/v1/usage?group_by=day&tz=%zz", "/api/v1/errors?group_by=%" })
	void readWhenQueryNotPercentEncodingThen400ProblemNamingTheParameter(String uri) throws IOException {
		Response response = raw(this.port, uri);
		assertProblem(response, 400);
		String field = uri.contains("%%=") ? "query" : uri.replaceAll(".*[?&]([a-z_]+)=[^=]*%.*", "$1");
		assertThat(response.body()).contains("\"field\":\"" + field + "\"");
	}

	@Test
	void healthWhenQueryNotPercentEncodingThen400ProblemOnTheManagementPort() throws IOException {
		Response response = raw(this.managementPort, "/actuator/health?x=%%");
		assertProblem(response, 400);
		assertThat(response.body()).contains("\"field\":\"x\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/usage?limit=1e3", "/api/v1/errors?limit=%2B%2B", "/api/v1/sessions/%20/errors",
			"/api/v1/events?since=%00", "/api/v1/sessions/%F0%9F%92%A9/usage" })
	void readWhenParametersOddThen4xxProblemNot500(String uri) {
		Response response = this.api.get(uri);
		assertThat(response.status()).as(uri + " " + response.body()).isBetween(400, 499);
		assertProblem(response, response.status());
	}

	@Test
	void requestWhenHeadersMalformedThen4xxProblemNot500() {
		for (Response response : List.of(
				this.api.exchange(HttpMethod.GET, "/api/v1/tracked-sessions", null, "Accept", ";;;"),
				this.api.post("/api/v1/tracked-sessions", "{\"session_id\":\"\\ud800\"}", "Content-Type",
						"application/json"),
				this.api.getRaw("/api/v1/tracked-sessions/" + TRACKED + "/sync"))) {
			assertThat(response.status()).as(response.body()).isBetween(400, 499);
			assertProblem(response, response.status());
		}
	}

	/**
	 * Sends the request target verbatim: {@link java.net.URI} refuses malformed
	 * percent-encoding, as a hostile caller would not.
	 */
	@SuppressWarnings("deprecation")
	private static Response raw(int port, String target) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + target)
			.openConnection();
		int status = connection.getResponseCode();
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.parseMediaType(connection.getContentType()));
		try (InputStream body = (status >= 400) ? connection.getErrorStream() : connection.getInputStream()) {
			return new Response(status, headers, new String(body.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private Response post(String body, String... headers) {
		return this.api.post("/api/v1/tracked-sessions", body, headers);
	}

	private Response post(String body) {
		return this.api.post("/api/v1/tracked-sessions", body, "Content-Type", "application/json");
	}

	private static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body()).contains("\"status\":" + status).contains("\"type\":\"https://");
	}

}
