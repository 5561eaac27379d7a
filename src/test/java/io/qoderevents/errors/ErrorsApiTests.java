package io.qoderevents.errors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsApiTests extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OVERLOADED = "model_overloaded_error";

	@Autowired
	private TrackingService tracking;

	@LocalServerPort
	private int port;

	private Api api;

	private String a;

	private String b;

	@BeforeEach
	void client() {
		this.api = new Api(this.port);
		this.a = "sess_" + "a".repeat(32);
		this.b = "sess_" + "b".repeat(32);
	}

	@Test
	void groupsWhenGroupedByTypeThenCountsSessionsTimesAndRetrySplit() {
		fixtures();
		JsonNode groups = Api.json(this.api.get("/api/v1/errors")).get("data");
		assertThat(groups).hasSize(3);
		JsonNode overloaded = groups.get(0);
		assertThat(overloaded.get("error_type").asString()).isEqualTo(OVERLOADED);
		assertThat(overloaded.get("count").asLong()).isEqualTo(4);
		assertThat(overloaded.get("session_count").asLong()).isEqualTo(2);
		assertThat(overloaded.get("first_seen").asString()).startsWith("2026-05-18T03:40:01.12345");
		assertThat(overloaded.get("last_seen").asString()).isEqualTo("2026-05-18T03:40:09Z");
		assertRetry(overloaded, 2, 1, 0, 1);
		assertThat(overloaded.has("message")).isFalse();
		assertThat(overloaded.has("session_id")).isFalse();
		assertThat(groups.get(1).get("error_type").asString()).isEqualTo("billing_error");
		assertRetry(groups.get(1), 0, 0, 2, 0);
		assertThat(groups.get(2).get("error_type").asString()).isEqualTo("mcp_connection_failed_error");
		assertThat(groups.get(2).get("count").asLong()).isEqualTo(1);
	}

	@Test
	void groupsWhenGroupedByMessageThenPatternsWithSamples() {
		fixtures();
		JsonNode groups = Api.json(this.api.get("/api/v1/errors?group_by=message")).get("data");
		JsonNode timeouts = groups.get(0);
		assertThat(timeouts.get("error_type").asString()).isEqualTo(OVERLOADED);
		assertThat(timeouts.get("message").asString()).isEqualTo("timed out after <n>s (<id>)");
		assertThat(timeouts.get("sample_message").asString()).startsWith("timed out after 3");
		assertThat(timeouts.get("count").asLong()).isEqualTo(3);
		assertThat(groups).hasSize(4);
	}

	@Test
	void groupsWhenGroupedBySessionThenOneGroupPerSessionWithItsTypes() {
		fixtures();
		JsonNode groups = Api.json(this.api.get("/api/v1/errors?group_by=session")).get("data");
		assertThat(groups).hasSize(2);
		JsonNode a = groups.get(0);
		assertThat(a.get("session_id").asString()).isEqualTo(this.a);
		assertThat(a.get("count").asLong()).isEqualTo(4);
		assertThat(a.get("session_count").asLong()).isEqualTo(1);
		assertThat(a.get("error_type").asString()).isEqualTo(OVERLOADED);
		assertThat(a.get("first_seen").asString()).startsWith("2026-05-18T03:40:01.12345");
		assertThat(a.get("last_seen").asString()).isEqualTo("2026-05-18T03:40:04Z");
		assertRetry(a, 2, 1, 0, 1);
		JsonNode types = a.get("by_type");
		assertThat(types).hasSize(2);
		assertThat(types.get(0).get("error_type").asString()).isEqualTo(OVERLOADED);
		assertThat(types.get(0).get("count").asLong()).isEqualTo(3);
		assertRetry(types.get(0), 2, 1, 0, 0);
		assertThat(types.get(1).get("error_type").asString()).isEqualTo("mcp_connection_failed_error");
		assertThat(types.get(1).get("count").asLong()).isEqualTo(1);
		assertThat(types.get(1).get("first_seen").asString()).isEqualTo("2026-05-18T03:40:03Z");
		JsonNode b = groups.get(1);
		assertThat(b.get("session_id").asString()).isEqualTo(this.b);
		assertThat(b.get("count").asLong()).isEqualTo(3);
		assertThat(b.get("error_type").asString()).isEqualTo("billing_error");
		assertThat(b.get("by_type").get(1).get("error_type").asString()).isEqualTo(OVERLOADED);
		JsonNode first = Api.json(this.api.get("/api/v1/errors?group_by=session&limit=1"));
		assertThat(first.get("data").get(0).get("session_id").asString()).isEqualTo(this.a);
		JsonNode second = Api.json(this.api.get("/api/v1/errors?group_by=session&limit=1&cursor={c}",
				first.get("next_cursor").asString()));
		assertThat(second.get("data").get(0).get("session_id").asString()).isEqualTo(this.b);
		assertThat(second.get("data").get(0).get("by_type")).hasSize(2);
		assertThat(second.get("next_cursor").isNull()).isTrue();
		JsonNode windowed = Api.json(this.api.get("/api/v1/errors?group_by=session&until={u}", "2026-05-18T03:40:03Z"))
			.get("data");
		assertThat(windowed).hasSize(1);
		assertThat(windowed.get(0).get("count").asLong()).isEqualTo(2);
		assertThat(windowed.get(0).get("by_type")).hasSize(1);
		assertThat(Api.json(this.api.get("/api/v1/errors")).get("data").get(0).has("by_type")).isFalse();
	}

	@Test
	void sessionErrorsWhenSinceAndUntilGivenThenOnlyThatWindow() {
		fixtures();
		JsonNode page = Api.json(this.api.get("/api/v1/sessions/{id}/errors?since={s}&until={u}", this.a,
				"2026-05-18T03:40:02Z", "2026-05-18T03:40:04Z"));
		List<String> ids = new ArrayList<>();
		page.get("data").forEach((row) -> ids.add(row.get("event_id").asString()));
		assertThat(ids).containsExactly("evt_e2", "evt_e3");
		JsonNode paged = Api
			.json(this.api.get("/api/v1/sessions/{id}/errors?since={s}&limit=1", this.a, "2026-05-18T03:40:03Z"));
		assertThat(paged.get("data").get(0).get("event_id").asString()).isEqualTo("evt_e3");
		JsonNode next = Api.json(this.api.get("/api/v1/sessions/{id}/errors?since={s}&limit=1&cursor={c}", this.a,
				"2026-05-18T03:40:03Z", paged.get("next_cursor").asString()));
		assertThat(next.get("data").get(0).get("event_id").asString()).isEqualTo("evt_e4");
		assertThat(next.get("next_cursor").isNull()).isTrue();
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/errors?since=yesterday", this.a), "since");
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/errors?until={u}&since={s}", this.a,
				"2026-05-18T03:40:03Z", "2026-05-18T03:40:03Z"), "until");
	}

	@Test
	void groupsWhenPagedOrFilteredThenEveryGroupOnce() {
		fixtures();
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = Api.json(this.api
				.get("/api/v1/errors?group_by=message&limit=1" + ((cursor != null) ? "&cursor=" + cursor : "")));
			assertThat(page.get("data")).hasSize(1);
			seen.add(page.get("data").get(0).get("error_type").asString() + "/"
					+ page.get("data").get(0).get("message").asString());
			cursor = page.get("next_cursor").asStringOpt().orElse(null);
		}
		while (cursor != null);
		assertThat(seen).hasSize(4).doesNotHaveDuplicates();
		JsonNode filtered = Api.json(this.api.get("/api/v1/errors?session_id={b}&since={s}&until={u}", this.b,
				"2026-05-18T03:40:05Z", "2026-05-18T03:40:09Z"))
			.get("data");
		assertThat(filtered).hasSize(1);
		assertThat(filtered.get(0).get("error_type").asString()).isEqualTo("billing_error");
		assertThat(filtered.get(0).get("count").asLong()).isEqualTo(2);
		String messageCursor = Api.json(this.api.get("/api/v1/errors?group_by=message&limit=1"))
			.get("next_cursor")
			.asString();
		Api.assertInvalid(this.api.get("/api/v1/errors?group_by=type&cursor={c}", messageCursor), "cursor");
	}

	@Test
	void sessionErrorsWhenErrorsStoredThenFlattenedInSequenceOrderAcrossPages() {
		fixtures();
		JsonNode first = Api.json(this.api.get("/api/v1/sessions/{id}/errors?limit=2", this.a));
		JsonNode error = first.get("data").get(0);
		assertThat(error.get("event_id").asString()).isEqualTo("evt_e1");
		assertThat(error.get("session_id").asString()).isEqualTo(this.a);
		assertThat(error.get("turn_id").asString()).isEqualTo("turn_" + "1".repeat(32));
		assertThat(error.get("created_at").asString()).isEqualTo("2026-05-18T03:40:01.123456789Z");
		assertThat(error.get("error_type").asString()).isEqualTo(OVERLOADED);
		assertThat(error.get("message").asString()).isEqualTo("timed out after 31s (req_a1b2c3d4)");
		assertThat(error.get("details_name").asString()).isEqualTo("TimeoutError");
		assertThat(error.get("details_message").asString()).isEqualTo("upstream said no");
		assertThat(error.get("retry_status").asString()).isEqualTo("retrying");
		assertThat(first.get("data").get(1).get("retry_status").asString()).isEqualTo("exhausted");
		this.upstream.append(this.a,
				TestEvents.error(this.a, "evt_e9", "2026-05-18T03:50:00Z", "unknown_error", "late", "terminal"));
		syncNow(this.a);
		List<String> ids = new ArrayList<>();
		first.get("data").forEach((row) -> ids.add(row.get("event_id").asString()));
		String cursor = first.get("next_cursor").asString();
		while (cursor != null) {
			JsonNode page = Api.json(this.api.get("/api/v1/sessions/{id}/errors?limit=2&cursor={c}", this.a, cursor));
			page.get("data").forEach((row) -> ids.add(row.get("event_id").asString()));
			cursor = page.get("next_cursor").asStringOpt().orElse(null);
		}
		assertThat(ids).containsExactly("evt_e1", "evt_e2", "evt_e3", "evt_e4", "evt_e9");
		Api.assertInvalid(
				this.api.get("/api/v1/sessions/{id}/errors?cursor={c}", this.b, first.get("next_cursor").asString()),
				"cursor");
	}

	@Test
	void errorsWhenParametersInvalidOrSessionUnknownThen400Or404() {
		Api.assertInvalid(this.api.get("/api/v1/errors?group_by=code"), "group_by");
		Api.assertInvalid(this.api.get("/api/v1/errors?since=2026-05-18"), "since");
		Api.assertInvalid(this.api.get("/api/v1/errors?since=2026-05-18T00:00:00Z&until=2026-05-17T00:00:00Z"),
				"until");
		Api.assertInvalid(this.api.get("/api/v1/errors?session_id=sess_"), "session_id");
		Api.assertInvalid(this.api.get("/api/v1/errors?limit=0"), "limit");
		Api.assertInvalid(this.api.get("/api/v1/errors?cursor=x"), "cursor");
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/errors", "session"), "session_id");
		Api.Response unknown = this.api.get("/api/v1/sessions/{id}/errors", TestEvents.sessionId());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		this.tracking.track(this.a);
		assertThat(Api.json(this.api.get("/api/v1/sessions/{id}/errors", this.a)).get("data").isEmpty()).isTrue();
	}

	private void fixtures() {
		String withInnerStatus = """
				{"id":"evt_e2","type":"session.error","session_id":"%s","created_at":"2026-05-18T03:40:02Z",\
				"error":{"type":"model_overloaded_error","message":"timed out after 30s (req_ffee0011)",\
				"retry_status":{"type":"exhausted"}}}""".formatted(this.a);
		String withoutStatus = """
				{"id":"evt_e3","type":"session.error","session_id":"%s","created_at":"2026-05-18T03:40:03Z",\
				"error":{"type":"mcp_connection_failed_error","message":"MCP server github unreachable"}}"""
			.formatted(this.a);
		String first = """
				{"id":"evt_e1","type":"session.error","session_id":"%s","turn_id":"turn_%s",\
				"created_at":"2026-05-18T03:40:01.123456789Z","error":{"type":"model_overloaded_error",\
				"message":"timed out after 31s (req_a1b2c3d4)"},"details":{"name":"TimeoutError",\
				"message":"upstream said no"},"retry_status":{"type":"retrying"}}""".formatted(this.a, "1".repeat(32));
		ingest(this.a, List.of(first, withInnerStatus, withoutStatus, TestEvents.error(this.a, "evt_e4",
				"2026-05-18T03:40:04Z", OVERLOADED, "timed out after 32s (req_12345678)", "retrying")));
		String innerTerminal = """
				{"id":"evt_f2","type":"session.error","session_id":"%s","created_at":"2026-05-18T03:40:08Z",\
				"error":{"type":"billing_error","message":"credit balance is too low",\
				"retry_status":{"type":"terminal"}}}""".formatted(this.b);
		String unknownStatus = """
				{"id":"evt_f3","type":"session.error","session_id":"%s","created_at":"2026-05-18T03:40:09Z",\
				"error":{"type":"model_overloaded_error","message":"overloaded"},"retry_status":{"type":"later"}}"""
			.formatted(this.b);
		ingest(this.b, List.of(
				TestEvents.message(this.b, "evt_f0", Instant.parse("2026-05-18T03:40:00Z")), TestEvents.error(this.b,
						"evt_f1", "2026-05-18T03:40:05Z", "billing_error", "credit balance is too low", "terminal"),
				innerTerminal, unknownStatus));
	}

	@Test
	void apiDocsWhenRequestedThenEndpointsAndParametersDescribed() {
		JsonNode paths = Api.json(this.api.get("/v3/api-docs")).get("paths");
		JsonNode rollup = paths.get("/api/v1/errors").get("get");
		assertThat(rollup.get("tags").get(0).asString()).isEqualTo("Error reports");
		assertThat(rollup.get("parameters").values().stream().map((parameter) -> parameter.get("name").asString()))
			.containsExactly("group_by", "since", "until", "session_id", "limit", "cursor");
		assertThat(rollup.get("parameters").values()).allMatch((parameter) -> parameter.has("description"));
		assertThat(paths.get("/api/v1/sessions/{session_id}/errors").get("get").get("summary").asString()).isNotBlank();
	}

	private static void assertRetry(JsonNode group, long retrying, long exhausted, long terminal, long unknown) {
		JsonNode status = group.get("retry_status");
		assertThat(status.get("retrying").asLong()).isEqualTo(retrying);
		assertThat(status.get("exhausted").asLong()).isEqualTo(exhausted);
		assertThat(status.get("terminal").asLong()).isEqualTo(terminal);
		assertThat(status.get("unknown").asLong()).isEqualTo(unknown);
	}

}
