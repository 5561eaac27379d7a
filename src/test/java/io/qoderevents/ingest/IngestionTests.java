package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.page.PageWriter;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.EventPage;
import io.qoderevents.upstream.FetchResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class IngestionTests extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private IngestService ingest;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private PageWriter writer;

	@Test
	void pollWhenSessionIsEmptyThenNothingStoredAndCursorStaysNull() {
		String session = tracked(0);
		assertThat(syncNow(session)).isZero();
		assertThat(stored(session)).isEmpty();
		assertThat(row(session).get("cursor")).isNull();
		assertThat(row(session).get("state")).isEqualTo("active");
		assertThat(row(session).get("last_success_at")).as("an empty poll is a success").isNotNull();
	}

	@Test
	void pollWhenOnePageThenAllStoredInListOrder() {
		String session = tracked(37);
		assertThat(syncNow(session)).isEqualTo(37);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 37);
		assertThat(row(session).get("cursor")).isEqualTo(last(this.upstream.eventIds(session)));
	}

	@Test
	void pollWhenManyPagesThenAllStoredOnceInOrder() {
		String session = tracked(1050);
		assertThat(syncNow(session)).isEqualTo(1050);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 1050);
		assertThat(this.upstream.requestCount()).isEqualTo(11);
		assertThat(this.upstream.requestLog()).filteredOn((request) -> request.contains("/events"))
			.hasSize(11)
			.allMatch((request) -> request.contains("limit=100"));
	}

	@Test
	void pollWhenEventsAppendedBetweenPollsThenSequencesContinue() {
		String session = tracked(150);
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 75));
		assertThat(syncNow(session)).isEqualTo(75);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 225);
		assertThat(syncNow(session)).isZero();
		assertThat(row(session).get("cursor")).isEqualTo(last(this.upstream.eventIds(session)));
	}

	@Test
	void pollWhenIdsSortDifferentlyFromListOrderThenListOrderKept() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		List<String> ids = List.of("evt_zzzz", "evt_0190aaaa", "evt_5c2f6a1e9b4d4c3a8f7e6d5c4b3a2910", "evt_aaaa",
				"evt_019e392c0d787cfaa21bda98e06cd913");
		Instant at = Instant.parse("2026-05-18T03:40:48Z");
		for (int i = 0; i < ids.size(); i++) {
			this.upstream.append(session, TestEvents.message(session, ids.get(i), at.plusSeconds(i)));
		}
		this.tracking.track(session);
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(ids);
	}

	@Test
	void applyWhenSamePageCommittedTwiceThenSecondChangesNothing() {
		String session = tracked(120);
		EventPage page = page(session, null);
		assertThat(this.writer.apply(session, "test", null, page, Duration.ofMinutes(1)).stored()).isEqualTo(100);
		PageWriter.Outcome again = this.writer.apply(session, "test", null, page, Duration.ofMinutes(1));
		assertThat(again.applied()).isFalse();
		assertThat(syncNow(session)).isEqualTo(20);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 120);
	}

	@Test
	void pollWhenCrashedBetweenFetchAndCommitThenPageReadAgainOnce() {
		String session = tracked(250);
		page(session, null);
		// the fetched page was never committed: a new poll starts from the stored cursor
		assertThat(syncNow(session)).isEqualTo(250);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 250);
	}

	@Test
	void pollWhenUpstreamRepeatsEventsOnLaterPageThenStoredOnce() {
		String session = tracked(10);
		List<String> first = this.upstream.events(session);
		syncNow(session);
		this.upstream.appendAll(session, first.subList(5, 10));
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		assertThat(syncNow(session)).isEqualTo(3);
		assertSequences(session, 13);
		assertThat(count("select count(*) from event where session_id = ?", session)).isEqualTo(13);
	}

	@Test
	void pollWhenTwoPollersRaceOnOneSessionThenEachEventStoredOnce() throws Exception {
		String session = tracked(800);
		CyclicBarrier start = new CyclicBarrier(2);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Callable<Object> poll = () -> {
				start.await();
				return syncNow(session);
			};
			List<Future<Object>> results = threads.invokeAll(List.of(poll, poll));
			for (Future<Object> result : results) {
				result.get();
			}
		}
		finally {
			threads.shutdown();
		}
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 800);
	}

	@Test
	void applyWhenTwoWritersCommitFromSameCursorThenOnlyOneApplies() throws Exception {
		String session = tracked(100);
		EventPage page = page(session, null);
		List<PageWriter.Outcome> outcomes = twoAtOnce(
				() -> this.writer.apply(session, "test", null, page, Duration.ofMinutes(1)));
		assertThat(outcomes).filteredOn(PageWriter.Outcome::applied).hasSize(1);
		assertSequences(session, 100);
	}

	@Test
	void pollWhenRawJsonHasNanosecondsAndUnknownFieldsThenRoundTripsUnchanged() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		String event = """
				{"id":"evt_019e392c0d787cfaa21bda98e06cd913","type":"user.message","content":"Hello, \\"quoted\\" \
				\u00e9\u4e2d\u6587 \\n line","session_id":"%s","created_at":"2026-05-18T03:40:48.888851795Z",\
				"processed_at":"2026-05-18T03:40:48.888851795Z","x_new_field":{"nested":[1,2.50,1000,null,true]},\
				"big":12345678901234567890}""".formatted(session);
		this.upstream.append(session, event);
		this.tracking.track(session);
		syncNow(session);
		String payload = this.jdbc.sql("select payload::text from event where session_id = ?")
			.param(session)
			.query(String.class)
			.single();
		assertThat(JSON.readTree(payload)).isEqualTo(JSON.readTree(event));
		assertThat(payload).contains("2026-05-18T03:40:48.888851795Z")
			.contains("2.50")
			.contains("12345678901234567890");
		Map<String, Object> columns = this.jdbc.sql("select event_time from event where session_id = ?")
			.param(session)
			.query()
			.singleRow();
		assertThat(((java.sql.Timestamp) columns.get("event_time")).toInstant().getEpochSecond())
			.isEqualTo(Instant.parse("2026-05-18T03:40:48Z").getEpochSecond());
	}

	@Test
	void pollWhenEventsLackIdOrTypeThenQuarantinedAndIngestionGoesOn() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.append(session, TestEvents.message(session, "evt_a1", Instant.parse("2026-05-18T03:40:48Z")));
		this.upstream.append(session, "{\"type\":\"user.message\",\"content\":\"no id\"}");
		this.upstream.append(session, "{\"id\":\"evt_notype\",\"content\":\"no type\"}");
		this.upstream.append(session, "\"just a string\"");
		this.upstream.append(session, TestEvents.ofType(session, "evt_a2", "brand.new_type", "2026-05-18T03:40:50Z"));
		this.tracking.track(session);
		syncNow(session);
		assertThat(stored(session)).containsExactly("evt_a1", "evt_a2");
		assertSequences(session, 2);
		assertThat(row(session).get("quarantined_count")).isEqualTo(3L);
		assertThat(this.jdbc.sql("select reason from quarantined_event where session_id = ? order by id")
			.param(session)
			.query(String.class)
			.list()).containsExactly("missing_id", "missing_type", "not_an_object");
		// a re-read from the start quarantines nothing twice
		this.jdbc.sql("update tracked_session set cursor = null where session_id = ?").param(session).update();
		syncNow(session);
		assertThat(row(session).get("quarantined_count")).isEqualTo(3L);
	}

	@Test
	void pollWhenLastEventIsTerminalThenSessionCompletedAndLeavesSchedule() {
		String session = tracked(3);
		this.upstream.append(session,
				TestEvents.ofType(session, TestEvents.eventId(), "session.status_terminated", "2026-05-18T04:00:00Z"));
		syncNow(session);
		assertThat(row(session).get("state")).isEqualTo("completed");
		this.jdbc.sql("update tracked_session set next_poll_at = now() - interval '1 minute'").update();
		assertThat(this.ingest.pollDue()).isZero();
	}

	@Test
	void pollDueWhenSessionsDueThenEachPolledAndRescheduled() {
		List<String> sessions = List.of(tracked(5), tracked(205), tracked(0));
		assertThat(this.ingest.pollDue()).isEqualTo(3);
		for (String session : sessions) {
			assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		}
		assertThat(this.ingest.pollDue()).isZero();
	}

	@Test
	void usageWhenTurnsEndPausedAndANewTurnIdFollowsThenEveryTurnCountsOnceOnAndAcrossPages() {
		String session = TestEvents.sessionId();
		Instant start = Instant.parse("2026-05-18T03:40:00Z");
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			String turnId = TestEvents.turnId();
			boolean paused = i % 7 == 0 && i < 119;
			events.add(turnEvent(session, "user.message", turnId, start.plusSeconds(10L * i), ""));
			events.add(turnEvent(session, "session.status_idle", turnId, start.plusSeconds(10L * i + 5),
					",\"usage\":{\"input_tokens\":1,\"output_tokens\":2},\"stop_reason\":{\"type\":\""
							+ (paused ? "requires_action\",\"event_ids\":[\"evt_tool\"]}" : "end_turn\"}")));
		}
		ingest(session, events);
		assertThat(stored(session)).hasSize(240);
		JsonNode usage = Api.json(this.api.get("/api/v1/sessions/{id}/usage", session));
		assertThat(usage.get("by_turn")).hasSize(120);
		assertThat(usage.get("turns").asLong()).isEqualTo(120);
		assertThat(usage.get("input_tokens").asLong()).isEqualTo(120);
		JsonNode endsPage = usage.get("by_turn").get(49);
		assertThat(endsPage.get("stop_reason").asString()).as("its paused idle ends the first page of 100 events")
			.isEqualTo("requires_action");
		assertThat(endsPage.get("pauses").asLong()).isEqualTo(1);
		assertThat(endsPage.get("completed_at").asString()).isEqualTo(start.plusSeconds(495).toString());
		assertThat(usage.get("by_turn").get(50).get("stop_reason").asString()).isEqualTo("end_turn");
		assertThat(Api.json(this.api.get("/api/v1/usage?group_by=session")).get("data").get(0).get("turns").asLong())
			.isEqualTo(120);
		assertThat(Api.json(this.api.get("/api/v1/usage?group_by=day")).get("totals").get("turns").asLong())
			.isEqualTo(120);
		String window = "since=" + start.plusSeconds(450) + "&until=" + start.plusSeconds(3600);
		assertThat(Api.json(this.api.get("/api/v1/sessions/{id}/usage?" + window, session)).get("turns").asLong())
			.as("turns 45 to 119, whose idles lie in the window")
			.isEqualTo(75);
		assertThat(Api.json(this.api.get("/api/v1/usage?group_by=session&" + window))
			.get("data")
			.get(0)
			.get("turns")
			.asLong()).isEqualTo(75);
		assertThat(count("select count(*) from turn where session_id = ? and completed_at is null", session)).isZero();
	}

	private static String turnEvent(String session, String type, String turnId, Instant at, String fields) {
		return """
				{"id":"%s","type":"%s","session_id":"%s","turn_id":"%s","schema_version":"1.0","created_at":"%s"%s}\
				""".formatted(TestEvents.eventId(), type, session, turnId, at, fields);
	}

	private EventPage page(String session, String after) {
		FetchResult<EventPage> result = this.client.listEvents(session, after);
		return ((FetchResult.Success<EventPage>) result).page();
	}

	private static String last(List<String> list) {
		return list.get(list.size() - 1);
	}

	static JsonNode tree(String json) {
		return JSON.readTree(json);
	}

}
