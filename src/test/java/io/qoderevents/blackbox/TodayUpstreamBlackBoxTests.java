package io.qoderevents.blackbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.TestDatabaseConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The service from outside, as a dashboard user meets it: started without the demo
 * profile, with API keys and its real scheduler, polling an independent WireMock
 * simulation of today's upstream (no turn ids, no tokens, credits on model spans, paused
 * turns, thread events, events without timestamps) that pages recorded sessions and
 * serves their Session objects. Expectations are derived from the fixtures by the
 * documented rules, never from the service's code. The simulation serves no event stream,
 * so the live tail is off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "qoder.ingest.enabled=true",
		"qoder.ingest.tick=200ms", "qoder.ingest.poll-interval=500ms", "qoder.ingest.live-tail.enabled=false",
		"qoder.ingest.snapshot-interval=1s", "qoder.ingest.backoff-initial=100ms", "qoder.ingest.backoff-max=1s",
		"qoder.upstream.page-size=31", "qoder.upstream.read-timeout=5s",
		"qoder.upstream.token=" + TodayUpstreamBlackBoxTests.TOKEN, "qoder.api.auth.enabled=true",
		"qoder.api.auth.keys[0].name=dashboards", "qoder.api.auth.keys[0].value=" + TodayUpstreamBlackBoxTests.READ_KEY,
		"qoder.api.auth.keys[0].role=read", "qoder.api.auth.keys[1].name=ops",
		"qoder.api.auth.keys[1].value=" + TodayUpstreamBlackBoxTests.ADMIN_KEY, "qoder.api.auth.keys[1].role=admin" })
@Import(TestDatabaseConfiguration.class)
@DirtiesContext
class TodayUpstreamBlackBoxTests {

	static final String TOKEN = "pt-blackbox-7c1e";

	static final String READ_KEY = "dashboards-key-3f9a-0123456789abcdef";

	static final String ADMIN_KEY = "ops-key-88d2-0123456789abcdef01234";

	private static final String BASE = "/api/v1/cloud";

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final TodayUpstream upstream = new TodayUpstream();

	private static final WireMockServer server = new WireMockServer(options().dynamicPort().extensions(upstream));

	static {
		server.start();
	}

	@LocalServerPort
	private int port;

	private Api api;

	@DynamicPropertySource
	static void upstreamUrl(DynamicPropertyRegistry registry) {
		registry.add("qoder.upstream.base-url", () -> server.baseUrl() + BASE);
	}

	@AfterAll
	static void stopUpstream() {
		server.stop();
	}

	@BeforeEach
	void stubUpstream() {
		this.api = new Api(this.port);
		server.resetAll();
		server.stubFor(get(urlPathMatching(BASE + "/sessions/[^/]+(/events)?")).atPriority(1)
			.withHeader("Authorization", equalTo("Bearer " + TOKEN))
			.willReturn(aResponse().withTransformers(TodayUpstream.NAME)));
		server.stubFor(get(anyUrl()).atPriority(10)
			.willReturn(aResponse().withStatus(401)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
						+ "\"message\":\"invalid token\"}}")));
	}

	@Test
	void dashboardWhenTodaysSessionIngestedThenEveryNumberMatchesTheUpstream() {
		List<JsonNode> fixture = events("today-session-events.json");
		JsonNode sessionObject = resource("today-session.json");
		String session = sessionObject.get("id").asString();
		upstream.serve(session, fixture, sessionObject, 0);
		Expected expected = Expected.of(fixture);
		assertThat(expected.turns()).hasSize(12);
		assertThat(fixture.stream().filter((event) -> !event.has("processed_at")).count())
			.isBetween(fixture.size() / 5L, fixture.size() / 3L);
		assertThat(pausedTurnsSplitAcrossPages(fixture, 31)).isGreaterThanOrEqualTo(1);

		track(session);
		await(() -> {
			JsonNode tracked = tracked(session);
			return tracked.get("event_count").asLong() == fixture.size() && !tracked.get("snapshot").isNull()
					&& snapshotNewerThanEvents(tracked, sessionEvents(session, ""));
		});

		JsonNode events = sessionEvents(session, "");
		assertThat(ids(events)).containsExactlyElementsOf(ids(fixture));
		for (int i = 0; i < fixture.size(); i++) {
			JsonNode stored = events.get(i);
			JsonNode sent = fixture.get(i);
			assertThat(stored.get("sequence").asLong()).isEqualTo(i + 1);
			assertThat(stored.get("type").asString()).isEqualTo(sent.get("type").asString());
			assertThat(stored.get("payload")).as(sent.get("id").asString()).isEqualTo(sent);
			assertThat(text(stored, "processed_at")).isEqualTo(text(sent, "processed_at"));
			assertThat(text(stored, "created_at")).isNull();
			assertThat(text(stored, "session_thread_id")).isEqualTo(text(sent, "session_thread_id"));
			assertThat(text(stored, "turn_id")).as("turn of %s", sent.get("id").asString())
				.isEqualTo(expected.turnOf().get(i));
			assertThat(instant(stored, "event_time")).as("event_time of %s", sent.get("id").asString())
				.isCloseTo(expected.eventTimes().get(i), within(1, ChronoUnit.MICROS));
		}
		assertThat(events.valueStream().map((event) -> instant(event, "event_time")).toList()).isSorted();

		for (ExpectedTurn turn : expected.turns()) {
			assertThat(ids(sessionEvents(session, "&turn_id=" + turn.id()))).as("events of turn %s", turn.id())
				.containsExactlyElementsOf(turn.eventIds());
		}
		assertThat(expected.threads()).hasSize(2);
		expected.threads().forEach((thread, threadEvents) -> {
			assertThat(ids(
					json(this.api.getRaw("/api/v1/events?limit=1000&session_thread_id=" + thread, read())).get("data")))
				.as("events of thread %s", thread)
				.containsExactlyElementsOf(threadEvents);
			assertThat(ids(sessionEvents(session, "&session_thread_id=" + thread)))
				.containsExactlyElementsOf(threadEvents);
		});

		JsonNode tracked = tracked(session);
		assertThat(tracked.get("state").asString()).isEqualTo("active");
		assertThat(tracked.get("cursor").asString()).isEqualTo(fixture.get(fixture.size() - 1).get("id").asString());
		assertThat(tracked.get("quarantined_count").asLong()).isZero();
		assertThat(tracked.get("consecutive_failures").asInt()).isZero();
		assertThat(tracked.get("last_error").isNull()).isTrue();
		assertThat(snapshotNewerThanEvents(tracked, events)).isTrue();
		JsonNode snapshot = tracked.get("snapshot");
		assertThat(snapshot.get("status").asString()).isEqualTo("idle");
		assertThat(snapshot.get("title").asString()).isEqualTo("Refactor the billing module");
		assertThat(snapshot.get("model").asString()).isEqualTo("ultimate");
		assertThat(snapshot.get("total_credits").decimalValue()).isEqualByComparingTo("19.21");
		assertThat(snapshot.get("active_seconds").asLong()).isEqualTo(812);
		assertThat(instant(snapshot, "updated_at")).isEqualTo(Instant.parse("2026-09-15T00:09:47.5Z"));

		JsonNode usage = json(this.api.getRaw("/api/v1/sessions/" + session + "/usage", read()));
		assertThat(usage.get("turns").asLong()).isEqualTo(12);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo(expected.credits());
		assertThat(usage.get("model_requests").asLong()).isEqualTo(expected.modelRequests()).isEqualTo(26);
		assertThat(usage.get("billed_credits").decimalValue())
			.isEqualByComparingTo(sessionObject.get("usage").get("total_credits").decimalValue())
			.isGreaterThan(expected.credits());
		assertThat(instant(usage, "billed_credits_at")).isEqualTo(instant(snapshot, "read_at"));
		assertThat(usage.get("model").asString()).isEqualTo("ultimate");
		for (String tokens : List.of("input_tokens", "output_tokens", "cache_read_input_tokens",
				"cache_creation_input_tokens", "total_tokens")) {
			assertThat(usage.get(tokens).asLong()).as(tokens).isZero();
		}
		assertThat(instant(usage, "first_event_at")).isCloseTo(expected.eventTimes().get(0),
				within(1, ChronoUnit.MICROS));
		assertThat(instant(usage, "last_event_at")).isCloseTo(expected.eventTimes().get(fixture.size() - 1),
				within(1, ChronoUnit.MICROS));
		JsonNode byTurn = usage.get("by_turn");
		assertThat(byTurn.size()).isEqualTo(12);
		long pauses = 0;
		for (int k = 0; k < 12; k++) {
			JsonNode row = byTurn.get(k);
			ExpectedTurn turn = expected.turns().get(k);
			assertThat(row.get("turn_id").asString()).isEqualTo(turn.id());
			assertThat(row.get("credits").decimalValue()).as("credits of turn %d", k + 1)
				.isEqualByComparingTo(turn.credits());
			assertThat(row.get("model_requests").asLong()).as("model requests of turn %d", k + 1)
				.isEqualTo(turn.modelRequests());
			assertThat(row.get("pauses").asLong()).as("pauses of turn %d", k + 1).isEqualTo(turn.pauses());
			assertThat(row.get("stop_reason").asString()).isEqualTo("end_turn");
			assertThat(instant(row, "started_at")).as("start of turn %d", k + 1)
				.isCloseTo(turn.startedAt(), within(1, ChronoUnit.MICROS));
			assertThat(instant(row, "completed_at")).as("end of turn %d", k + 1)
				.isCloseTo(turn.completedAt(), within(1, ChronoUnit.MICROS));
			pauses += row.get("pauses").asLong();
		}
		assertThat(pauses).isEqualTo(3);

		assertRollup(session, "day", ZoneId.of("UTC"), expected, 2);
		assertRollup(session, "day", ZoneId.of("Asia/Kolkata"), expected, 1);
		assertRollup(session, "hour", ZoneId.of("Asia/Kolkata"), expected, 5);
		JsonNode byModel = json(this.api.getRaw("/api/v1/usage?group_by=model&session_id=" + session, read()));
		assertThat(byModel.get("data").size()).isOne();
		JsonNode model = byModel.get("data").get(0);
		assertThat(model.get("key").asString()).isEqualTo("ultimate");
		assertThat(model.get("credits").decimalValue()).isEqualByComparingTo(expected.credits());
		assertThat(model.get("model_requests").asLong()).isEqualTo(expected.modelRequests());
		assertThat(model.get("turns").asLong()).isEqualTo(12);
		assertThat(byModel.get("totals").get("credits").decimalValue()).isEqualByComparingTo(expected.credits());

		List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
		assertThat(requests).isNotEmpty().allSatisfy((request) -> {
			assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
			assertThat(request.getHeader("Accept")).isEqualTo("application/json");
		});
		assertThat(server.findAll(getRequestedFor(urlPathMatching(BASE + "/sessions/[^/]+/events"))))
			.allSatisfy((request) -> assertThat(request.queryParameter("limit").firstValue()).isEqualTo("31"));
		assertThat(upstream.rejected()).isZero();
	}

	@Test
	void snapshotWhenSessionObjectFailsThenEventsKeepFlowingAndTheSnapshotAppearsLater() {
		List<JsonNode> fixture = events("flowing-session-events.json");
		JsonNode sessionObject = resource("flowing-session.json");
		String session = sessionObject.get("id").asString();
		Expected expected = Expected.of(fixture);
		assertThat(expected.turns()).hasSize(3);
		// one turn becomes visible first; each failed snapshot read lets one more arrive
		upstream.serve(session, fixture, sessionObject, 3);
		upstream.revealOnFailure(session, expected.turns().stream().map(ExpectedTurn::endIndex).toList());

		track(session);
		await(() -> {
			JsonNode tracked = tracked(session);
			return tracked.get("event_count").asLong() == fixture.size() && !tracked.get("snapshot").isNull();
		});

		assertThat(upstream.sessionFailuresServed(session)).isEqualTo(3);
		assertThat(ids(sessionEvents(session, ""))).containsExactlyElementsOf(ids(fixture));
		JsonNode tracked = tracked(session);
		assertThat(tracked.get("state").asString()).isEqualTo("active");
		assertThat(tracked.get("consecutive_failures").asInt()).isZero();
		assertThat(tracked.get("last_error").isNull()).isTrue();
		JsonNode snapshot = tracked.get("snapshot");
		assertThat(snapshot.get("status").asString()).isEqualTo("running");
		assertThat(snapshot.get("model").asString()).isEqualTo("ultimate-mini");
		assertThat(snapshot.get("total_credits").decimalValue()).isEqualByComparingTo("2.47");
		assertThat(snapshot.get("active_seconds").asLong()).isEqualTo(173);
		JsonNode usage = json(this.api.getRaw("/api/v1/sessions/" + session + "/usage", read()));
		assertThat(usage.get("turns").asLong()).isEqualTo(3);
		assertThat(usage.get("credits").decimalValue()).isEqualByComparingTo(expected.credits());
		assertThat(usage.get("model_requests").asLong()).isEqualTo(expected.modelRequests());
		assertThat(usage.get("billed_credits").decimalValue()).isEqualByComparingTo("2.47");
		assertThat(usage.get("model").asString()).isEqualTo("ultimate-mini");
		assertThat(usage.get("by_turn").valueStream().mapToLong((row) -> row.get("pauses").asLong()).sum()).isOne();
	}

	/**
	 * Day or hour rows of one session in a zone, against the buckets of the expected
	 * event times: credits and model calls at their span's time, turns at their end.
	 */
	private void assertRollup(String session, String groupBy, ZoneId zone, Expected expected, int buckets) {
		ChronoUnit unit = groupBy.equals("day") ? ChronoUnit.DAYS : ChronoUnit.HOURS;
		Map<Instant, Bucket> want = new LinkedHashMap<>();
		for (int i = 0; i < expected.events().size(); i++) {
			JsonNode event = expected.events().get(i);
			if (event.get("type").asString().equals("span.model_request_end")) {
				Bucket bucket = want.computeIfAbsent(start(expected.eventTimes().get(i), zone, unit), Bucket::new);
				bucket.credits = bucket.credits.add(creditsOf(event));
				bucket.modelRequests++;
			}
		}
		for (ExpectedTurn turn : expected.turns()) {
			want.computeIfAbsent(start(turn.completedAt(), zone, unit), Bucket::new).turns++;
		}
		JsonNode report = json(this.api.getRaw("/api/v1/usage?group_by=" + groupBy + "&session_id=" + session + "&tz="
				+ URLEncoder.encode(zone.getId(), StandardCharsets.UTF_8), read()));
		assertThat(report.get("tz").asString()).isEqualTo(zone.getId());
		List<Bucket> rows = want.values().stream().sorted((a, b) -> a.start.compareTo(b.start)).toList();
		assertThat(rows).hasSize(buckets);
		assertThat(report.get("data").size()).as("%s buckets in %s", groupBy, zone).isEqualTo(rows.size());
		for (int i = 0; i < rows.size(); i++) {
			JsonNode row = report.get("data").get(i);
			Bucket bucket = rows.get(i);
			OffsetDateTime key = OffsetDateTime.parse(row.get("key").asString());
			assertThat(key.toInstant()).isEqualTo(bucket.start);
			assertThat(key.getOffset()).isEqualTo(zone.getRules().getOffset(bucket.start));
			assertThat(row.get("credits").decimalValue()).as("credits of %s", key).isEqualByComparingTo(bucket.credits);
			assertThat(row.get("model_requests").asLong()).as("model requests of %s", key)
				.isEqualTo(bucket.modelRequests);
			assertThat(row.get("turns").asLong()).as("turns of %s", key).isEqualTo(bucket.turns);
		}
		JsonNode totals = report.get("totals");
		assertThat(totals.get("credits").decimalValue()).isEqualByComparingTo(expected.credits());
		assertThat(totals.get("model_requests").asLong()).isEqualTo(expected.modelRequests());
		assertThat(totals.get("turns").asLong()).isEqualTo(expected.turns().size());
	}

	private static Instant start(Instant time, ZoneId zone, ChronoUnit unit) {
		return ZonedDateTime.ofInstant(time, zone).truncatedTo(unit).toInstant();
	}

	private void track(String session) {
		Response created = this.api.post("/api/v1/tracked-sessions", "{\"session_id\":\"" + session + "\"}",
				"Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
	}

	private JsonNode tracked(String session) {
		return json(this.api.getRaw("/api/v1/tracked-sessions/" + session, read()));
	}

	private JsonNode sessionEvents(String session, String filters) {
		JsonNode page = json(this.api.getRaw("/api/v1/sessions/" + session + "/events?limit=1000" + filters, read()));
		assertThat(page.get("next_cursor").isNull()).isTrue();
		return page.get("data");
	}

	/**
	 * Whether the snapshot was read after the last of the session's events was stored.
	 */
	private static boolean snapshotNewerThanEvents(JsonNode tracked, JsonNode events) {
		Instant readAt = instant(tracked.get("snapshot"), "read_at");
		return events.valueStream().map((event) -> instant(event, "ingested_at")).allMatch((at) -> !at.isAfter(readAt));
	}

	private static String[] read() {
		return new String[] { "Authorization", "Bearer " + READ_KEY, "Accept", "application/json" };
	}

	/** Waits for a state, then lets the assertions that follow judge it. */
	private static void await(BooleanSupplier done) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!done.getAsBoolean() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** How many pause-to-end stretches of paused turns contain a page boundary. */
	private static int pausedTurnsSplitAcrossPages(List<JsonNode> events, int pageSize) {
		int split = 0;
		for (int i = 0; i < events.size(); i++) {
			if (primary(events.get(i)) && "requires_action".equals(stopReason(events.get(i)))) {
				int end = i + 1;
				while (!(primary(events.get(end)) && isIdle(events.get(end)))) {
					end++;
				}
				if ((end / pageSize) > (i / pageSize)) {
					split++;
				}
			}
		}
		return split;
	}

	private static JsonNode json(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static List<String> ids(JsonNode events) {
		return events.valueStream().map((event) -> event.get("id").asString()).toList();
	}

	private static List<String> ids(List<JsonNode> events) {
		return events.stream().map((event) -> event.get("id").asString()).toList();
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static Instant instant(JsonNode node, String field) {
		String text = text(node, field);
		return (text != null) ? Instant.parse(text) : null;
	}

	private static boolean primary(JsonNode event) {
		return !event.has("session_thread_id");
	}

	private static boolean isIdle(JsonNode event) {
		return event.get("type").asString().equals("session.status_idle");
	}

	private static String stopReason(JsonNode event) {
		JsonNode reason = event.get("stop_reason");
		if (reason == null) {
			return null;
		}
		return reason.isString() ? reason.asString() : reason.path("type").asString(null);
	}

	private static BigDecimal creditsOf(JsonNode span) {
		JsonNode credits = span.path("model_usage").get("credits");
		return (credits != null) ? credits.decimalValue() : BigDecimal.ZERO;
	}

	private static JsonNode resource(String name) {
		try (InputStream in = TodayUpstreamBlackBoxTests.class.getResourceAsStream(name)) {
			return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<JsonNode> events(String name) {
		return resource(name).valueStream().toList();
	}

	private static final class Bucket {

		final Instant start;

		BigDecimal credits = BigDecimal.ZERO;

		long modelRequests;

		long turns;

		Bucket(Instant start) {
			this.start = start;
		}

	}

	/**
	 * A turn as the upstream notes define it.
	 *
	 * @param endIndex the index after the event that ended it
	 */
	record ExpectedTurn(String id, List<String> eventIds, BigDecimal credits, long modelRequests, long pauses,
			Instant startedAt, Instant completedAt, int endIndex) {
	}

	/**
	 * What the documented rules make of a fixture: each event's turn (the opening
	 * {@code user.message}, with the {@code session.status_running} just before it; to
	 * the primary idle that is not {@code requires_action}) and event time
	 * ({@code created_at}, else {@code processed_at}, else the event before's).
	 */
	record Expected(List<JsonNode> events, List<String> turnOf, List<Instant> eventTimes, List<ExpectedTurn> turns,
			Map<String, List<String>> threads, BigDecimal credits, long modelRequests) {

		static Expected of(List<JsonNode> events) {
			List<String> turnOf = new ArrayList<>();
			List<Instant> times = new ArrayList<>();
			List<ExpectedTurn> turns = new ArrayList<>();
			Map<String, List<String>> threads = new LinkedHashMap<>();
			BigDecimal total = BigDecimal.ZERO;
			long spans = 0;
			String turn = null;
			List<String> turnEvents = new ArrayList<>();
			BigDecimal turnCredits = BigDecimal.ZERO;
			long turnSpans = 0;
			long turnPauses = 0;
			Instant startedAt = null;
			Instant previous = null;
			for (int i = 0; i < events.size(); i++) {
				JsonNode event = events.get(i);
				String type = event.get("type").asString();
				Instant time = (event.has("created_at")) ? Instant.parse(event.get("created_at").asString())
						: (event.has("processed_at")) ? Instant.parse(event.get("processed_at").asString()) : previous;
				times.add(time);
				previous = time;
				boolean opensTurn = turn == null && primary(event)
						&& ((type.equals("session.status_running") && i + 1 < events.size()
								&& events.get(i + 1).get("type").asString().equals("user.message"))
								|| type.equals("user.message"));
				if (opensTurn) {
					turn = type.equals("user.message") ? event.get("id").asString()
							: events.get(i + 1).get("id").asString();
					turnEvents = new ArrayList<>();
					turnCredits = BigDecimal.ZERO;
					turnSpans = 0;
					turnPauses = 0;
					startedAt = time;
				}
				turnOf.add(turn);
				if (turn != null) {
					turnEvents.add(event.get("id").asString());
				}
				if (!primary(event)) {
					threads.computeIfAbsent(event.get("session_thread_id").asString(), (id) -> new ArrayList<>())
						.add(event.get("id").asString());
				}
				if (type.equals("span.model_request_end")) {
					total = total.add(creditsOf(event));
					turnCredits = turnCredits.add(creditsOf(event));
					spans++;
					turnSpans++;
				}
				if (primary(event) && isIdle(event) && turn != null) {
					if ("requires_action".equals(stopReason(event))) {
						turnPauses++;
					}
					else {
						turns.add(new ExpectedTurn(turn, turnEvents, turnCredits, turnSpans, turnPauses, startedAt,
								time, i + 1));
						turn = null;
					}
				}
			}
			return new Expected(events, turnOf, times, turns, threads, total, spans);
		}

	}

	/**
	 * Today's upstream as its notes describe it: {@code GET /sessions/{id}/events} pages
	 * a session's visible events ({@code limit} 1 to 100, {@code after_id} or the opaque
	 * {@code page}, never both, {@code first_id}/{@code last_id}/{@code has_more}/
	 * {@code next_page}); {@code GET /sessions/{id}} answers the Session object, after a
	 * given number of 500s. The stubs check the bearer token before it is reached.
	 */
	static final class TodayUpstream implements ResponseDefinitionTransformerV2 {

		static final String NAME = "today-upstream";

		private final Map<String, Simulated> sessions = new ConcurrentHashMap<>();

		private final AtomicInteger rejected = new AtomicInteger();

		private final AtomicInteger requests = new AtomicInteger();

		void serve(String sessionId, List<JsonNode> events, JsonNode session, int sessionFailures) {
			this.sessions.put(sessionId, new Simulated(events, session, sessionFailures));
		}

		/**
		 * Shows events up to the first end, then up to the next one after each failed
		 * read.
		 */
		void revealOnFailure(String sessionId, List<Integer> ends) {
			Simulated simulated = this.sessions.get(sessionId);
			simulated.stages = List.copyOf(ends);
			simulated.visible = ends.get(0);
		}

		int sessionFailuresServed(String sessionId) {
			return this.sessions.get(sessionId).failuresServed.get();
		}

		/** Requests answered with a 400 (a request the upstream would refuse). */
		int rejected() {
			return this.rejected.get();
		}

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public ResponseDefinition transform(ServeEvent serveEvent) {
			LoggedRequest request = serveEvent.getRequest();
			String path = URI.create(request.getUrl()).getPath().substring((BASE + "/sessions/").length());
			boolean events = path.endsWith("/events");
			Simulated session = this.sessions
				.get(events ? path.substring(0, path.length() - "/events".length()) : path);
			if (session == null) {
				return error(404, "not_found_error", "No such session");
			}
			return events ? page(session, request) : session.read();
		}

		private ResponseDefinition page(Simulated session, LoggedRequest request) {
			String afterId = value(request, "after_id");
			String pageToken = value(request, "page");
			String limitText = value(request, "limit");
			if ((afterId != null && pageToken != null) || value(request, "before_id") != null) {
				return reject("after_id, before_id and page are mutually exclusive");
			}
			int limit = (limitText != null) ? Integer.parseInt(limitText) : 20;
			if (limit < 1 || limit > 100) {
				return reject("limit must be between 1 and 100");
			}
			if (pageToken != null) {
				afterId = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
			}
			List<JsonNode> visible = session.events.subList(0, session.visible);
			int from = 0;
			if (afterId != null) {
				from = ids(visible).indexOf(afterId) + 1;
				if (from == 0) {
					return reject("unknown after_id");
				}
			}
			List<JsonNode> data = visible.subList(from, Math.min(from + limit, visible.size()));
			boolean hasMore = from + data.size() < visible.size();
			ObjectNode body = JSON.createObjectNode();
			ArrayNode array = body.putArray("data");
			data.forEach(array::add);
			String lastId = data.isEmpty() ? null : data.get(data.size() - 1).get("id").asString();
			body.put("first_id", data.isEmpty() ? null : data.get(0).get("id").asString());
			body.put("last_id", lastId);
			body.put("has_more", hasMore);
			body.put("next_page",
					hasMore ? Base64.getUrlEncoder().encodeToString(lastId.getBytes(StandardCharsets.UTF_8)) : null);
			return json(200, JSON.writeValueAsString(body));
		}

		private ResponseDefinition reject(String message) {
			this.rejected.incrementAndGet();
			return error(400, "invalid_request_error", message);
		}

		private ResponseDefinition error(int status, String type, String message) {
			return json(status, "{\"type\":\"error\",\"request_id\":\"req_" + this.requests.get()
					+ "\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
		}

		private ResponseDefinition json(int status, String body) {
			return ResponseDefinitionBuilder.responseDefinition()
				.withStatus(status)
				.withHeader("Content-Type", "application/json")
				.withHeader("x-request-id", "req_" + this.requests.incrementAndGet())
				.withBody(body)
				.build();
		}

		private static String value(LoggedRequest request, String name) {
			return request.queryParameter(name).isPresent() ? request.queryParameter(name).firstValue() : null;
		}

		private final class Simulated {

			final List<JsonNode> events;

			final JsonNode session;

			final AtomicInteger failuresLeft;

			final AtomicInteger failuresServed = new AtomicInteger();

			volatile List<Integer> stages = List.of();

			volatile int visible;

			Simulated(List<JsonNode> events, JsonNode session, int failures) {
				this.events = events;
				this.session = session;
				this.failuresLeft = new AtomicInteger(failures);
				this.visible = events.size();
			}

			ResponseDefinition read() {
				if (this.failuresLeft.getAndDecrement() > 0) {
					int served = this.failuresServed.incrementAndGet();
					if (served < this.stages.size()) {
						this.visible = this.stages.get(served);
					}
					return error(500, "api_error", "Internal server error");
				}
				return json(200, JSON.writeValueAsString(this.session));
			}

		}

	}

}
