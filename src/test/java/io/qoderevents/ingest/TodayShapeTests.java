package io.qoderevents.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.EventPage;
import io.qoderevents.upstream.FetchResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static io.qoderevents.TodayEvents.agentMessage;
import static io.qoderevents.TodayEvents.at;
import static io.qoderevents.TodayEvents.credits;
import static io.qoderevents.TodayEvents.endTurn;
import static io.qoderevents.TodayEvents.idle;
import static io.qoderevents.TodayEvents.onThread;
import static io.qoderevents.TodayEvents.running;
import static io.qoderevents.TodayEvents.spanEnd;
import static io.qoderevents.TodayEvents.thinking;
import static io.qoderevents.TodayEvents.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Turns, credits and event times on today's upstream shape: no turn ids, no tokens,
 * credits on model spans, turns that pause and resume, thread events, events without
 * timestamps; each across pages and polls, where the turn state lives in the database.
 */
class TodayShapeTests extends IntegrationTest {

	@Autowired
	private TrackingService tracking;

	@Autowired
	private PageWriter writer;

	@Test
	void pollWhenPausedTurnSpansTwoPollsThenOneTurnWithPauseAndExactCredits() {
		String session = TestEvents.sessionId();
		List<List<String>> halves = TodayEvents.pausedTurn();
		ingest(session, halves.get(0));
		this.upstream.appendAll(session, halves.get(1));
		poll(session);
		JsonNode usage = usage(session);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("4.05");
		assertThat(usage.get("model_requests").asLong()).isEqualTo(2);
		assertThat(usage.get("turns").asLong()).isEqualTo(1);
		assertThat(usage.get("total_tokens").asLong()).isZero();
		JsonNode turn = usage.get("by_turn").get(0);
		assertThat(usage.get("by_turn")).hasSize(1);
		assertThat(turn.get("turn_id").asString()).isEqualTo("evt_m1");
		assertThat(turn.get("pauses").asLong()).isEqualTo(1);
		assertThat(turn.get("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(turn.get("started_at").asString()).as("the running event just before the message").isEqualTo(at(0));
		assertThat(turn.get("completed_at").asString()).isEqualTo(at(11));
		assertThat(turnIds(session)).containsOnly("evt_m1");
	}

	@Test
	void pollWhenRunningArrivesOnePageBeforeItsMessageThenItJoinsTheTurn() {
		String session = TestEvents.sessionId();
		ingest(session, List.of(running("evt_r1", at(0)), running("evt_r2", at(0))));
		assertThat(turnIds(session)).containsExactly((String) null, null);
		this.upstream.appendAll(session, List.of(userMessage("evt_m1", at(1)), idle("evt_i1", at(2), endTurn())));
		poll(session);
		assertThat(turnIds(session)).containsExactly("evt_m1", "evt_m1", "evt_m1", "evt_m1");
		assertThat(usage(session).get("turns").asLong()).isEqualTo(1);
		assertThat(usage(session).get("by_turn").get(0).get("started_at").asString()).isEqualTo(at(0));
	}

	@Test
	void pollWhenEventsBetweenTurnsThenOnlyTheRunningJustBeforeTheMessageJoinsIt() {
		String session = TestEvents.sessionId();
		ingest(session,
				List.of(running("evt_r0", at(0)), agentMessage("evt_x", at(0)), running("evt_r1", at(1)),
						userMessage("evt_m1", at(1)), idle("evt_i1", at(2), "\"end_turn\""), running("evt_r2", at(3)),
						userMessage("evt_m2", at(4)), idle("evt_i2", at(5), endTurn())));
		assertThat(turnIds(session)).containsExactly(null, null, "evt_m1", "evt_m1", "evt_m1", "evt_m2", "evt_m2",
				"evt_m2");
		JsonNode usage = usage(session);
		assertThat(usage.get("turns").asLong()).isEqualTo(2);
		assertThat(usage.get("by_turn").get(0).get("stop_reason").asString()).isEqualTo("end_turn");
	}

	@Test
	void pollWhenCreditsZeroMissingOrManySmallDecimalsThenSummedExactly() {
		String session = TestEvents.sessionId();
		List<String> events = new ArrayList<>(List.of(userMessage("evt_m1", at(0))));
		events.add(spanEnd("evt_z", "evt_s", at(1), credits("0")));
		events.add(spanEnd("evt_n", "evt_s", at(1), null));
		events.add(spanEnd("evt_u", "evt_s", at(1), "{\"input_tokens\":null}"));
		events.add(spanEnd("evt_p1", "evt_s", at(1), credits("0.1")));
		events.add(spanEnd("evt_p2", "evt_s", at(1), credits("0.2")));
		for (int i = 0; i < 30; i++) {
			events.add(spanEnd("evt_c" + i, "evt_s", at(2), credits("0.01")));
		}
		events.add(spanEnd("evt_q", "evt_s", at(2), credits("\"1.10\"")));
		events.add(spanEnd("evt_bad", "evt_s", at(2), credits("-5")));
		events.add(idle("evt_i1", at(3), endTurn()));
		ingest(session, events);
		JsonNode usage = usage(session);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo(new BigDecimal("1.70"));
		assertThat(this.api.get("/api/v1/sessions/{id}/usage", session).body()).contains("\"credits\":1.70,");
		assertThat(usage.get("model_requests").asLong()).isEqualTo(37);
		assertThat(usage.get("by_turn").get(0).get("credits").decimalValue()).isEqualByComparingTo("1.70");
	}

	@Test
	void pollWhenThreadEventsThenStoredWithThreadFilteredAndCountedInThePrimaryTurn() {
		String session = TestEvents.sessionId();
		String thread = "sthr_019e392c0d787ceea6bb62943f9ac3ec";
		ingest(session,
				List.of(userMessage("evt_m1", at(0)), onThread(running("evt_tr", at(1)), thread),
						onThread(spanEnd("evt_te", "evt_ts", at(2), credits("0.5")), thread),
						onThread(idle("evt_ti", at(3), endTurn()), thread),
						spanEnd("evt_e1", "evt_s1", at(4), credits("1")), idle("evt_i1", at(5), endTurn())));
		assertThat(turnIds(session)).containsOnly("evt_m1");
		JsonNode usage = usage(session);
		assertThat(usage.get("turns").asLong()).isEqualTo(1);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("1.5");
		assertThat(usage.get("by_turn").get(0).get("completed_at").asString()).isEqualTo(at(5));
		JsonNode onThread = Api
			.json(this.api.get("/api/v1/sessions/{id}/events?session_thread_id={t}", session, thread));
		assertThat(Api.ids(onThread)).containsExactly("evt_tr", "evt_te", "evt_ti");
		assertThat(onThread.get("data").get(0).get("session_thread_id").asString()).isEqualTo(thread);
	}

	@Test
	void pollWhenFirstEventsHaveNoTimestampThenIngestionTimeThenThePreviousEventsTime() {
		String session = TestEvents.sessionId();
		ingest(session, List.of(thinking("evt_k0"), thinking("evt_k1")));
		JsonNode first = Api.json(this.api.get("/api/v1/sessions/{id}/events", session)).get("data");
		String ingestedTime = first.get(0).get("event_time").asString();
		assertThat(first.get(1).get("event_time").asString()).isEqualTo(ingestedTime);
		this.upstream.appendAll(session, List.of(thinking("evt_k2"), userMessage("evt_m1", at(5)), thinking("evt_k3"),
				agentMessage("evt_a1", at(7))));
		poll(session);
		JsonNode data = Api.json(this.api.get("/api/v1/sessions/{id}/events", session)).get("data");
		assertThat(data.get(2).get("event_time").asString()).isEqualTo(ingestedTime);
		assertThat(data.get(3).get("event_time").asString()).isEqualTo(at(5));
		assertThat(data.get(4).get("event_time").asString()).isEqualTo(at(5));
		assertThat(data.get(5).get("event_time").asString()).isEqualTo(at(7));
	}

	@Test
	void pollWhenV0TurnSpansCarryTokensThenIdleUsageCountsOnceAcrossPages() {
		String session = TestEvents.sessionId();
		String turn = TestEvents.turnId();
		String span = """
				{"id":"%s","type":"span.model_request_end","session_id":"%s","turn_id":"%s",\
				"created_at":"2026-05-18T03:40:50Z","model_usage":{"input_tokens":40,"output_tokens":9}}""";
		ingest(session, List.of(TestEvents.message(session, "evt_v1", java.time.Instant.parse("2026-05-18T03:40:48Z"))
			.replace("turn_019e392c0d787ceea6bb62943f9ac3ec", turn), span.formatted("evt_v2", session, turn)));
		assertThat(usage(session).get("input_tokens").asLong()).isEqualTo(40);
		this.upstream.appendAll(session, List.of(span.formatted("evt_v3", session, turn),
				TestEvents.idle(session, "evt_v4", turn, "2026-05-18T03:41:00Z", 150, 42, 0, 0)));
		poll(session);
		JsonNode usage = usage(session);
		assertThat(usage.get("input_tokens").asLong()).isEqualTo(150);
		assertThat(usage.get("output_tokens").asLong()).isEqualTo(42);
		assertThat(usage.get("model_requests").asLong()).isEqualTo(2);
		JsonNode all = Api.json(this.api.get("/api/v1/usage?group_by=day"));
		assertThat(all.get("totals").get("input_tokens").asLong()).isEqualTo(150);
		assertThat(all.get("data").get(0).get("input_tokens").asLong()).isEqualTo(150);
	}

	@Test
	void reportsWhenKeptTotalsAndUsageRowsAnswerThenSameNumbers() {
		String v0 = TestEvents.sessionId();
		String turn = TestEvents.turnId();
		String span = """
				{"id":"%s","type":"span.model_request_end","turn_id":"%s","created_at":"2026-05-18T03:40:50Z",\
				"model_usage":{"input_tokens":40,"output_tokens":9,"credits":"0.1"}}""";
		// span tokens counted on one page, taken back on the next when the idle usage
		// arrives
		ingest(v0, List.of(span.formatted("evt_k1", turn)));
		this.upstream.appendAll(v0, List.of(span.formatted("evt_k2", turn),
				TestEvents.idle(v0, "evt_k3", turn, "2026-05-18T03:41:00Z", 150, 42, 3, 1)));
		poll(v0);
		String today = TestEvents.sessionId();
		List<List<String>> halves = TodayEvents.pausedTurn();
		ingest(today, halves.get(0));
		this.upstream.appendAll(today, halves.get(1));
		poll(today);
		for (String group : List.of("session", "model")) {
			// no time range: the sessions' kept totals; a range around everything: the
			// rows
			JsonNode kept = Api.json(this.api.get("/api/v1/usage?group_by={g}", group));
			JsonNode rows = Api.json(this.api.get("/api/v1/usage?group_by={g}&since=2000-01-01T00:00:01Z", group));
			// both sessions run the simulator's one model
			assertThat(kept.get("data")).as(group).hasSize(group.equals("session") ? 2 : 1);
			assertThat(kept.get("data")).as(group).isEqualTo(rows.get("data"));
			assertThat(kept.get("totals")).as(group).isEqualTo(rows.get("totals"));
		}
		// a range that cuts the v0 session: its rows in the range; today's session:
		// wholly in or out
		JsonNode before = Api.json(this.api.get("/api/v1/usage?group_by=session&until=2026-05-18T03:40:55Z"));
		assertThat(before.get("data")).hasSize(1);
		assertThat(before.get("data").get(0).get("key").asString()).isEqualTo(v0);
		assertThat(before.get("data").get(0).get("credits").decimalValue()).isEqualByComparingTo("0.2");
		assertThat(before.get("data").get(0).get("model_requests").asLong()).isEqualTo(2);
		assertThat(before.get("data").get(0).get("input_tokens").asLong()).isZero();
		assertThat(before.get("data").get(0).get("turns").asLong()).isZero();
		JsonNode after = Api.json(this.api
			.get("/api/v1/usage?group_by=model&since=2026-05-18T03:40:55Z&session_id={a}&session_id={b}", v0, today));
		assertThat(after.get("totals").get("input_tokens").asLong()).isEqualTo(150);
		assertThat(after.get("totals").get("credits").decimalValue())
			.isEqualByComparingTo(usage(today).get("credits").decimalValue());
		assertThat(after.get("totals").get("turns").asLong()).isEqualTo(2);
		for (String session : List.of(v0, today)) {
			JsonNode usage = usage(session);
			long input = 0;
			java.math.BigDecimal credits = java.math.BigDecimal.ZERO;
			for (JsonNode row : usage.get("by_turn")) {
				input += row.get("input_tokens").asLong();
				credits = credits.add(row.get("credits").decimalValue());
			}
			assertThat(usage.get("input_tokens").asLong()).isEqualTo(input);
			assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo(credits);
			assertThat(this.jdbc.sql("select credits from session_usage where session_id = ?")
				.param(session)
				.query(java.math.BigDecimal.class)
				.single()).isEqualByComparingTo(credits);
		}
		JsonNode v0Usage = usage(v0);
		assertThat(v0Usage.get("input_tokens").asLong()).isEqualTo(150);
		assertThat(v0Usage.get("credits").decimalValue()).isEqualByComparingTo("0.2");
		assertThat(v0Usage.get("by_turn")).hasSize(1);
		assertThat(v0Usage.get("by_turn").get(0).get("model_requests").asLong()).isEqualTo(2);
		assertThat(usage(today).get("by_turn").get(0).get("pauses").asLong()).isEqualTo(1);
	}

	@Test
	void pollWhenV0TurnWithoutIdleUsageThenSpanTokensCount() {
		String session = TestEvents.sessionId();
		String turn = TestEvents.turnId();
		ingest(session, List.of("""
				{"id":"evt_w1","type":"span.model_request_end","turn_id":"%s","created_at":"2026-05-18T03:40:50Z",\
				"model_usage":{"input_tokens":40,"output_tokens":9,"credits":0.5}}""".formatted(turn), """
				{"id":"evt_w2","type":"session.status_idle","turn_id":"%s","created_at":"2026-05-18T03:41:00Z",\
				"stop_reason":{"type":"end_turn"}}""".formatted(turn)));
		JsonNode usage = usage(session);
		assertThat(usage.get("input_tokens").asLong()).isEqualTo(40);
		assertThat(usage.get("total_tokens").asLong()).isEqualTo(49);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("0.5");
	}

	@Test
	void applyWhenTwoReplicasRaceOnTheSecondPageOfAPausedTurnThenOneAppliesAndTheTurnIsExact() throws Exception {
		String session = TestEvents.sessionId();
		List<List<String>> halves = TodayEvents.pausedTurn();
		ingest(session, halves.get(0));
		this.upstream.appendAll(session, halves.get(1));
		String cursor = "evt_i1";
		EventPage page = ((FetchResult.Success<EventPage>) this.client.listEvents(session, cursor)).page();
		List<PageWriter.Outcome> outcomes = twoAtOnce(
				() -> this.writer.apply(session, "test", cursor, page, Duration.ofMinutes(1)));
		assertThat(outcomes).filteredOn(PageWriter.Outcome::applied).hasSize(1);
		JsonNode usage = usage(session);
		assertThat(usage.get("turns").asLong()).isEqualTo(1);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("4.05");
		assertThat(usage.get("by_turn").get(0).get("pauses").asLong()).isEqualTo(1);
	}

	@Test
	void pollWhenItDiesBetweenTheTwoPagesOfATurnThenTheNextPollCompletesItExactly() {
		String session = TestEvents.sessionId();
		List<List<String>> halves = TodayEvents.pausedTurn();
		List<String> all = new ArrayList<>(halves.get(0));
		all.addAll(halves.get(1));
		this.upstream.createSession(session);
		this.upstream.appendAll(session, all);
		this.tracking.track(session);
		String cursor = null;
		EventPage first = ((FetchResult.Success<EventPage>) this.client.listEvents(session, cursor)).page();
		EventPage half = new EventPage(first.events().subList(0, 7), "evt_i1", true, null);
		assertThat(this.writer.apply(session, "dead-replica", null, half, Duration.ofMinutes(1)).applied()).isTrue();
		this.jdbc.sql("update tracked_session set lease_owner = null, lease_until = null where session_id = ?")
			.param(session)
			.update();
		poll(session);
		assertThat(turnIds(session)).hasSize(13).containsOnly("evt_m1");
		JsonNode usage = usage(session);
		assertThat(usage.get("turns").asLong()).isEqualTo(1);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("4.05");
		assertThat(usage.get("by_turn").get(0).get("pauses").asLong()).isEqualTo(1);
	}

	@Test
	void rollupsWhenGroupedByDayHourAndModelThenTheyAddUpToTheSessionTotals() {
		String a = TestEvents.sessionId();
		String b = TestEvents.sessionId();
		List<String> turn = new ArrayList<>(TodayEvents.pausedTurn().get(0));
		turn.addAll(TodayEvents.pausedTurn().get(1));
		ingest(a, turn);
		ingest(b, List.of(userMessage("evt_bm", at(4000)), spanEnd("evt_be", "evt_bs", at(4001), credits("0.33")),
				idle("evt_bi", at(4002), endTurn())));
		BigDecimal sessions = usage(a).get("credits").decimalValue().add(usage(b).get("credits").decimalValue());
		assertThat(sessions).isEqualByComparingTo("4.38");
		for (String grouping : List.of("day", "hour", "model", "session")) {
			JsonNode report = Api.json(this.api.get("/api/v1/usage?group_by={g}&tz=Asia/Kolkata", grouping));
			BigDecimal rows = BigDecimal.ZERO;
			long turns = 0;
			for (JsonNode row : report.get("data")) {
				rows = rows.add(row.get("credits").decimalValue());
				turns += row.get("turns").asLong();
			}
			assertThat(rows).as(grouping).isEqualByComparingTo(sessions);
			assertThat(report.get("totals").get("credits").decimalValue()).as(grouping).isEqualByComparingTo(sessions);
			assertThat(turns).as(grouping).isEqualTo(2);
		}
		assertThat(Api.json(this.api.get("/api/v1/usage?group_by=hour")).get("data")).hasSize(2);
	}

	@Test
	void pollWhenTheSnapshotReadFailsThenEventsStillFlowAndTheSnapshotFollowsAnIntervalLater() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.failNextSessionRead(session, 1, 500, "");
		List<List<String>> halves = TodayEvents.pausedTurn();
		ingest(session, halves.get(0));
		JsonNode tracked = trackedSession(session);
		assertThat(tracked.get("event_count").asLong()).isEqualTo(7);
		assertThat(tracked.get("state").asString()).isEqualTo("active");
		assertThat(tracked.get("snapshot").isNull()).isTrue();
		int failedReads = this.upstream.sessionReads();
		this.upstream.appendAll(session, halves.get(1));
		poll(session);
		tracked = trackedSession(session);
		assertThat(tracked.get("event_count").asLong()).isEqualTo(13);
		assertThat(this.upstream.sessionReads()).as("a failed read waits an interval").isEqualTo(failedReads);
		this.upstream.delayNextSessionRead(session, 1, Duration.ofSeconds(3));
		snapshotIntervalPassed(session);
		poll(session);
		tracked = trackedSession(session);
		assertThat(this.upstream.sessionReads()).isEqualTo(failedReads + 1);
		assertThat(tracked.get("state").asString()).isEqualTo("active");
		assertThat(tracked.get("snapshot").isNull()).isTrue();
		snapshotIntervalPassed(session);
		poll(session);
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("model").asString()).isEqualTo("ultimate");
		assertThat(snapshot.get("status").asString()).isEqualTo("idle");
		assertThat(snapshot.get("total_credits").decimalValue()).isEqualByComparingTo("4.50");
		assertThat(snapshot.get("read_at").isString()).isTrue();
		JsonNode usage = usage(session);
		assertThat(usage.get("billed_credits").decimalValue()).isEqualByComparingTo("4.50");
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo("4.05");
		assertThat(usage.get("model").asString()).isEqualTo("ultimate");
		assertThat(usage.get("billed_credits_at").isString()).isTrue();
		int reads = this.upstream.sessionReads();
		poll(session);
		assertThat(this.upstream.sessionReads()).as("no events since the last read").isEqualTo(reads);
	}

	@Test
	void pollWhenTheSnapshotReadAnswers404ThenTheSessionIsNotFoundAndItsEventsStay() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.failNextSessionRead(session, 1, 404,
				"{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"gone\"}}");
		ingest(session, TodayEvents.pausedTurn().get(0));
		JsonNode tracked = trackedSession(session);
		assertThat(tracked.get("state").asString()).isEqualTo("not_found");
		assertThat(tracked.get("event_count").asLong()).isEqualTo(7);
		assertThat(tracked.get("next_poll_at").asString()).isNotNull();
	}

	@Test
	void groupByModelWhenSessionsOfBothShapesThenOneRowPerModel() {
		String today = TestEvents.sessionId();
		String v0 = TestEvents.sessionId();
		List<String> turn = new ArrayList<>(TodayEvents.pausedTurn().get(0));
		turn.addAll(TodayEvents.pausedTurn().get(1));
		ingest(today, turn);
		this.upstream.createSession(v0, io.qoderevents.demo.UpstreamShape.V0);
		String turnId = TestEvents.turnId();
		ingest(v0, List.of(TestEvents.idle(v0, "evt_v1", turnId, "2026-05-18T03:41:00Z", 150, 42, 0, 0)));
		JsonNode report = Api.json(this.api.get("/api/v1/usage?group_by=model"));
		assertThat(Api.json(this.api.get("/api/v1/usage?group_by=model")).get("data")).hasSize(2);
		assertThat(report.get("data").get(0).get("key").asString()).isEqualTo("qwen3-coder");
		assertThat(report.get("data").get(0).get("input_tokens").asLong()).isEqualTo(150);
		assertThat(report.get("data").get(1).get("key").asString()).isEqualTo("ultimate");
		assertThat(report.get("data").get(1).get("credits").decimalValue()).isEqualByComparingTo("4.05");
	}

	private JsonNode trackedSession(String session) {
		return Api.json(this.api.get("/api/v1/tracked-sessions/{id}", session));
	}

	private void snapshotIntervalPassed(String session) {
		this.jdbc
			.sql("update session_snapshot set read_tried_at = read_tried_at - interval '1 hour' where session_id = ?")
			.param(session)
			.update();
	}

	private void poll(String session) {
		syncNow(session);
	}

	private JsonNode usage(String session) {
		return Api.json(this.api.get("/api/v1/sessions/{id}/usage", session));
	}

	private List<String> turnIds(String session) {
		return this.jdbc.sql("select turn_id from event where session_id = ? order by sequence")
			.param(session)
			.query((rs, n) -> rs.getString(1))
			.list();
	}

}
