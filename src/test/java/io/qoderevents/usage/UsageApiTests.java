package io.qoderevents.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class UsageApiTests extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TURN_1 = "turn_" + "1".repeat(32);

	private static final String TURN_2 = "turn_" + "2".repeat(32);

	private static final String TURN_3 = "turn_" + "3".repeat(32);

	@Autowired
	private TrackingService tracking;

	@Test
	void sessionUsageWhenTurnsCompletedThenExactTotalsAndTurnsInCompletionOrder() {
		String session = TestEvents.sessionId();
		ingest(session, turns(session));
		JsonNode usage = Api.json(this.api.get("/api/v1/sessions/{id}/usage", session));
		assertThat(usage.get("session_id").asString()).isEqualTo(session);
		assertThat(usage.get("input_tokens").asLong()).isEqualTo(150 + 10 + 5 + 7 + 12);
		assertThat(usage.get("output_tokens").asLong()).isEqualTo(42 + 20 + 8 + 0 + 0);
		assertThat(usage.get("cache_read_input_tokens").asLong()).isEqualTo(3000 + 100);
		assertThat(usage.get("cache_creation_input_tokens").asLong()).isEqualTo(400);
		assertThat(usage.get("total_tokens").asLong()).isEqualTo(184 + 70 + 3100 + 400);
		assertThat(usage.get("turns").asLong()).isEqualTo(4);
		assertThat(usage.get("first_event_at").asString()).isEqualTo("2026-05-18T03:40:48Z");
		assertThat(usage.get("last_event_at").asString()).isEqualTo("2026-05-18T03:45:00.123456Z");
		JsonNode byTurn = usage.get("by_turn");
		assertThat(byTurn).hasSize(4);
		assertTurn(byTurn.get(0), TURN_1, 150, 42, 0, 0, "end_turn", "2026-05-18T03:41:00Z");
		assertTurn(byTurn.get(1), TURN_2, 15, 28, 3100, 400, "end_turn", "2026-05-18T03:43:00Z");
		assertTurn(byTurn.get(2), TURN_3, 7, 0, 0, 0, null, "2026-05-18T03:44:30Z");
		assertTurn(byTurn.get(3), null, 12, 0, 0, 0, "cancelled", "2026-05-18T03:45:00.123456Z");
		assertThat(byTurn.get(1).get("total_tokens").asLong()).isEqualTo(15 + 28 + 3100 + 400);
	}

	@Test
	void sessionUsageWhenSinceAndUntilGivenThenOnlyTheUsageOfThatWindow() {
		String session = TestEvents.sessionId();
		ingest(session, turns(session));
		JsonNode usage = Api.json(this.api.get("/api/v1/sessions/{id}/usage?since={s}&until={u}", session,
				"2026-05-18T03:42:30Z", "2026-05-18T03:44:45Z"));
		assertThat(usage.get("input_tokens").asLong()).isEqualTo(10 + 7);
		assertThat(usage.get("cache_read_input_tokens").asLong()).isEqualTo(3000);
		assertThat(usage.get("turns").asLong()).isEqualTo(2);
		assertThat(usage.get("first_event_at").asString()).isEqualTo("2026-05-18T03:43:00Z");
		assertThat(usage.get("last_event_at").asString()).isEqualTo("2026-05-18T03:44:30Z");
		JsonNode byTurn = usage.get("by_turn");
		assertThat(byTurn).hasSize(2);
		assertThat(byTurn.get(0).get("turn_id").asString()).isEqualTo(TURN_2);
		assertThat(byTurn.get(0).get("input_tokens").asLong()).isEqualTo(10);
		assertThat(byTurn.get(1).get("turn_id").asString()).isEqualTo(TURN_3);
		JsonNode all = Api.json(this.api.get("/api/v1/sessions/{id}/usage?since={s}", session, "2026-05-18T00:00:00Z"));
		assertThat(all.get("by_turn")).hasSize(4);
		JsonNode none = Api
			.json(this.api.get("/api/v1/sessions/{id}/usage?since={s}", session, "2026-06-01T00:00:00Z"));
		assertThat(none.get("total_tokens").asLong()).isZero();
		assertThat(none.get("first_event_at").isNull()).isTrue();
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/usage?since=today", session), "since");
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/usage?since={s}&until={u}", session,
				"2026-05-18T03:42:30Z", "2026-05-18T03:42:30Z"), "until");
	}

	@Test
	void sessionUsageWhenSessionReadAgainThenNumbersUnchanged() {
		String session = TestEvents.sessionId();
		ingest(session, turns(session));
		String before = this.api.get("/api/v1/sessions/{id}/usage", session).body();
		String rollup = this.api.get("/api/v1/usage").body();
		this.jdbc.sql("update tracked_session set cursor = null where session_id = ?").param(session).update();
		syncNow(session);
		this.upstream.appendAll(session, this.upstream.events(session).subList(0, 5));
		syncNow(session);
		assertThat(this.api.get("/api/v1/sessions/{id}/usage", session).body()).isEqualTo(before);
		assertThat(this.api.get("/api/v1/usage").body()).isEqualTo(rollup);
	}

	@Test
	void sessionUsageWhenUnknownMalformedOrWithoutEventsThen404400OrZeros() {
		String tracked = TestEvents.sessionId();
		this.tracking.track(tracked);
		JsonNode empty = Api.json(this.api.get("/api/v1/sessions/{id}/usage", tracked));
		assertThat(empty.get("total_tokens").asLong()).isZero();
		assertThat(empty.get("turns").asLong()).isZero();
		assertThat(empty.get("first_event_at").isNull()).isTrue();
		assertThat(empty.get("by_turn").isEmpty()).isTrue();
		Api.Response unknown = this.api.get("/api/v1/sessions/{id}/usage", TestEvents.sessionId());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		Api.assertInvalid(this.api.get("/api/v1/sessions/{id}/usage", "sess_123"), "session_id");
	}

	@Test
	void rollupWhenGroupedBySessionThenRowsPagesAndTotals() {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String session = TestEvents.sessionId();
			sessions.add(session);
			ingest(session, List.of(
					TestEvents.idle(session, TestEvents.eventId(), TURN_1, "2026-05-18T03:41:00Z", 100 * (i + 1), 1, 2,
							3),
					TestEvents.idle(session, TestEvents.eventId(), TURN_2, "2026-05-18T03:42:00Z", 1, 1, 1, 1)));
		}
		List<String> sorted = sessions.stream().sorted().toList();
		JsonNode first = Api.json(this.api.get("/api/v1/usage?group_by=session&limit=2"));
		assertThat(keys(first)).isEqualTo(sorted.subList(0, 2));
		assertThat(first.get("tz").asString()).isEqualTo("UTC");
		JsonNode totals = first.get("totals");
		assertThat(totals.get("input_tokens").asLong()).isEqualTo(600 + 3);
		assertThat(totals.get("output_tokens").asLong()).isEqualTo(6);
		assertThat(totals.get("cache_read_input_tokens").asLong()).isEqualTo(9);
		assertThat(totals.get("cache_creation_input_tokens").asLong()).isEqualTo(12);
		assertThat(totals.get("total_tokens").asLong()).isEqualTo(630);
		assertThat(totals.get("turns").asLong()).isEqualTo(6);
		assertThat(totals.has("key")).isFalse();
		JsonNode second = Api
			.json(this.api.get("/api/v1/usage?limit=2&cursor={c}", first.get("next_cursor").asString()));
		assertThat(keys(second)).containsExactly(sorted.get(2));
		assertThat(second.get("next_cursor").isNull()).isTrue();
		assertThat(second.get("totals")).isEqualTo(totals);
		JsonNode row = second.get("data").get(0);
		long input = 100L * (sessions.indexOf(sorted.get(2)) + 1) + 1;
		assertThat(row.get("input_tokens").asLong()).isEqualTo(input);
		assertThat(row.get("total_tokens").asLong()).isEqualTo(input + 2 + 3 + 4);
		assertThat(row.get("turns").asLong()).isEqualTo(2);
		assertThat(row.get("session_id").asString()).isEqualTo(sorted.get(2)).isEqualTo(row.get("key").asString());
		assertThat(row.has("bucket_start")).isFalse();
		assertThat(totals.has("session_id")).isFalse();
		JsonNode one = Api.json(this.api.get("/api/v1/usage?session_id={s}&until=2026-05-18T03:42:00Z", sorted.get(0)));
		assertThat(keys(one)).containsExactly(sorted.get(0));
		assertThat(one.get("totals").get("turns").asLong()).isEqualTo(1);
	}

	@Test
	void rollupWhenGroupedByDayThenBucketsCutInTheZone() {
		String session = TestEvents.sessionId();
		ingest(session, List.of(idle(session, TURN_1, "2026-05-18T10:00:00Z", 1),
				idle(session, TURN_2, "2026-05-18T23:30:00Z", 10), idle(session, TURN_3, "2026-05-19T15:59:59Z", 100),
				idle(session, "turn_" + "4".repeat(32), "2026-05-19T16:00:00Z", 1000)));
		JsonNode shanghai = Api.json(this.api.get("/api/v1/usage?group_by=day&tz=Asia/Shanghai"));
		assertThat(shanghai.get("tz").asString()).isEqualTo("Asia/Shanghai");
		assertThat(keys(shanghai)).containsExactly("2026-05-18T00:00:00+08:00", "2026-05-19T00:00:00+08:00",
				"2026-05-20T00:00:00+08:00");
		assertThat(inputs(shanghai)).containsExactly(1L, 110L, 1000L);
		JsonNode day = shanghai.get("data").get(0);
		assertThat(day.get("bucket_start").asString()).isEqualTo("2026-05-18T00:00:00+08:00");
		assertThat(day.get("bucket_end").asString()).isEqualTo("2026-05-19T00:00:00+08:00");
		assertThat(day.has("session_id")).isFalse();
		JsonNode utc = Api.json(this.api.get("/api/v1/usage?group_by=day"));
		assertThat(keys(utc)).containsExactly("2026-05-18T00:00:00Z", "2026-05-19T00:00:00Z");
		assertThat(inputs(utc)).containsExactly(11L, 1100L);
		JsonNode paged = Api.json(this.api.get("/api/v1/usage?group_by=day&tz=Asia/Shanghai&limit=2"));
		JsonNode rest = Api.json(this.api.get("/api/v1/usage?group_by=day&tz=Asia/Shanghai&limit=2&cursor={c}",
				paged.get("next_cursor").asString()));
		assertThat(keys(rest)).containsExactly("2026-05-20T00:00:00+08:00");
		assertThat(rest.get("totals").get("input_tokens").asLong()).isEqualTo(1111);
		Api.assertInvalid(this.api.get("/api/v1/usage?group_by=day&tz=UTC&limit=2&cursor={c}",
				paged.get("next_cursor").asString()), "cursor");
		Api.assertInvalid(this.api.get("/api/v1/usage?group_by=hour&tz=Asia/Shanghai&cursor={c}",
				paged.get("next_cursor").asString()), "cursor");
	}

	@Test
	void rollupWhenGroupedByHourAcrossDaylightSavingEndThenBothHoursKept() {
		String session = TestEvents.sessionId();
		ingest(session, List.of(idle(session, TURN_1, "2026-11-01T05:30:00Z", 1),
				idle(session, TURN_2, "2026-11-01T06:30:00Z", 2), idle(session, TURN_3, "2026-11-01T06:59:59Z", 4)));
		JsonNode hours = Api.json(this.api.get("/api/v1/usage?group_by=hour&tz=America/New_York"));
		assertThat(keys(hours)).containsExactly("2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00");
		assertThat(inputs(hours)).containsExactly(1L, 6L);
		assertThat(hours.get("data").get(1).get("turns").asLong()).isEqualTo(2);
		assertThat(hours.get("data").get(0).get("bucket_end").asString()).isEqualTo("2026-11-01T01:00:00-05:00");
		assertThat(hours.get("data").get(1).get("bucket_start").asString()).isEqualTo("2026-11-01T01:00:00-05:00");
		assertThat(hours.get("data").get(1).get("bucket_end").asString()).isEqualTo("2026-11-01T02:00:00-05:00");
		JsonNode since = Api.json(this.api.get("/api/v1/usage?group_by=hour&since=2026-11-01T06:30:00Z"));
		assertThat(keys(since)).containsExactly("2026-11-01T06:00:00Z");
	}

	@Test
	void rollupWhenParametersInvalidThen400NamingParameter() {
		Api.assertInvalid(this.api.get("/api/v1/usage?group_by=week"), "group_by");
		Api.assertInvalid(this.api.get("/api/v1/usage?tz=Mars/Olympus_Mons"), "tz");
		Api.assertInvalid(this.api.get("/api/v1/usage?tz=+08:00"), "tz");
		Api.assertInvalid(this.api.get("/api/v1/usage?since=2026-13-01T00:00:00Z"), "since");
		Api.assertInvalid(this.api.get("/api/v1/usage?since=2026-05-19T00:00:00Z&until=2026-05-18T00:00:00Z"), "until");
		Api.assertInvalid(this.api.get("/api/v1/usage?session_id=nope"), "session_id");
		Api.assertInvalid(this.api.get("/api/v1/usage?limit=1001"), "limit");
		Api.assertInvalid(this.api.get("/api/v1/usage?limit=x"), "limit");
		Api.assertInvalid(this.api.get("/api/v1/usage?cursor=abc.def"), "cursor");
	}

	private List<String> turns(String session) {
		String turn2Paused = """
				{"id":"evt_u3","type":"session.status_idle","session_id":"%s","turn_id":"%s",\
				"created_at":"2026-05-18T03:42:00Z","status":"idle","usage":{"input_tokens":5,"output_tokens":8,\
				"cache_read_input_tokens":100},"stop_reason":{"type":"requires_action"}}""".formatted(session, TURN_2);
		String turn3Partial = """
				{"id":"evt_u5","type":"session.status_idle","session_id":"%s","turn_id":"%s",\
				"created_at":"2026-05-18T03:44:00Z","usage":{"input_tokens":7,"output_tokens":null,\
				"cache_read_input_tokens":-3}}""".formatted(session, TURN_3);
		String noTurn = """
				{"id":"evt_u6","type":"session.status_idle","session_id":"%s",\
				"processed_at":"2026-05-18T03:45:00.123456Z","usage":{"input_tokens":"12"},\
				"stop_reason":{"type":"cancelled"}}""".formatted(session);
		String noUsage = """
				{"id":"evt_u7","type":"session.status_idle","session_id":"%s","turn_id":"%s",\
				"created_at":"2026-05-18T03:44:30Z"}""".formatted(session, TURN_3);
		return List.of(TestEvents.message(session, "evt_u1", Instant.parse("2026-05-18T03:40:48Z")),
				TestEvents.idle(session, "evt_u2", TURN_1, "2026-05-18T03:41:00Z", 150, 42, 0, 0), turn2Paused,
				TestEvents.idle(session, "evt_u4", TURN_2, "2026-05-18T03:43:00Z", 10, 20, 3000, 400), turn3Partial,
				noUsage, noTurn);
	}

	private static String idle(String session, String turn, String at, long input) {
		return TestEvents.idle(session, TestEvents.eventId(), turn, at, input, 0, 0, 0);
	}

	@Test
	void apiDocsWhenRequestedThenEndpointsAndParametersDescribed() {
		JsonNode paths = Api.json(this.api.get("/v3/api-docs")).get("paths");
		JsonNode rollup = paths.get("/api/v1/usage").get("get");
		assertThat(rollup.get("tags").get(0).asString()).isEqualTo("Token usage");
		assertThat(rollup.get("parameters").values().stream().map((parameter) -> parameter.get("name").asString()))
			.containsExactly("group_by", "since", "until", "session_id", "tz", "agent_id", "environment_id", "limit",
					"cursor");
		assertThat(rollup.get("parameters").values()).allMatch((parameter) -> parameter.has("description"));
		assertThat(paths.get("/api/v1/sessions/{session_id}/usage").get("get").get("summary").asString()).isNotBlank();
	}

	private static List<String> keys(JsonNode report) {
		List<String> keys = new ArrayList<>();
		report.get("data").forEach((row) -> keys.add(row.get("key").asString()));
		return keys;
	}

	private static List<Long> inputs(JsonNode report) {
		List<Long> inputs = new ArrayList<>();
		report.get("data").forEach((row) -> inputs.add(row.get("input_tokens").asLong()));
		return inputs;
	}

	private static void assertTurn(JsonNode turn, String turnId, long input, long output, long cacheRead,
			long cacheCreation, String stopReason, String completedAt) {
		assertThat(turn.get("turn_id").isNull() ? null : turn.get("turn_id").asString()).isEqualTo(turnId);
		assertThat(turn.get("input_tokens").asLong()).isEqualTo(input);
		assertThat(turn.get("output_tokens").asLong()).isEqualTo(output);
		assertThat(turn.get("cache_read_input_tokens").asLong()).isEqualTo(cacheRead);
		assertThat(turn.get("cache_creation_input_tokens").asLong()).isEqualTo(cacheCreation);
		assertThat(turn.get("total_tokens").asLong()).isEqualTo(input + output + cacheRead + cacheCreation);
		assertThat(turn.get("stop_reason").isNull() ? null : turn.get("stop_reason").asString()).isEqualTo(stopReason);
		assertThat(turn.get("completed_at").asString()).isEqualTo(completedAt);
	}

}
