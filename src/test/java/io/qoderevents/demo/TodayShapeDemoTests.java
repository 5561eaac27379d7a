package io.qoderevents.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator in today's shape: demo turns, and the session object it serves. */
class TodayShapeDemoTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String AUTH = "Bearer t0ken";

	private static final String SESSION = "sess_de000000000000000000000000000002";

	private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");

	private final DemoEvents events = new DemoEvents(new Random(42));

	private final SimulatedQoder qoder = new SimulatedQoder("t0ken", Clock.systemUTC());

	@Test
	void turnWhenTodaysShapeThenNoTurnIdsNoTokensCreditsPausesAndRunningBeforeTheMessage() {
		int pauses = 0;
		int stringStops = 0;
		int withoutTime = 0;
		int total = 0;
		BigDecimal credits = BigDecimal.ZERO;
		for (int i = 0; i < 200; i++) {
			List<JsonNode> turn = parse(this.events.turn(SESSION, START, UpstreamShape.TODAY));
			assertThat(turn.get(0).get("type").asString()).isEqualTo("session.status_running");
			assertThat(turn.get(1).get("type").asString()).isEqualTo("user.message");
			assertThat(turn.get(1).get("content").isArray()).isTrue();
			JsonNode last = turn.get(turn.size() - 1);
			assertThat(last.get("type").asString()).isEqualTo("session.status_idle");
			stringStops += last.get("stop_reason").isString() ? 1 : 0;
			for (JsonNode event : turn) {
				total++;
				assertThat(event.has("turn_id") || event.has("session_id") || event.has("created_at")
						|| event.has("usage") || event.has("schema_version"))
					.isFalse();
				withoutTime += event.has("processed_at") ? 0 : 1;
				if (event.path("stop_reason").path("type").asString("").equals("requires_action")) {
					pauses++;
					assertThat(event.get("stop_reason").get("event_ids")).hasSize(1);
				}
				JsonNode value = event.path("model_usage").get("credits");
				if (value != null) {
					assertThat(event.get("model_usage").has("input_tokens")).isFalse();
					credits = credits.add(value.decimalValue());
				}
			}
		}
		assertThat(pauses).isGreaterThan(20);
		assertThat(stringStops).isGreaterThan(10);
		assertThat(withoutTime).isBetween(total / 5, total / 2);
		assertThat(credits).isPositive();
	}

	@Test
	void getSessionWhenTodaysShapeThenModelObjectAndCreditsAboveTheSpanSum() {
		this.qoder.createSession(SESSION, UpstreamShape.TODAY);
		JsonNode empty = JSON.readTree(this.qoder.getSession(AUTH, SESSION).body());
		assertThat(empty.get("usage").has("total_credits")).isFalse();
		List<String> turns = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			turns.addAll(this.events.turn(SESSION, START, UpstreamShape.TODAY));
		}
		this.qoder.appendAll(SESSION, turns);
		BigDecimal spans = parse(turns).stream()
			.map((event) -> event.path("model_usage").get("credits"))
			.filter((value) -> value != null)
			.map(JsonNode::decimalValue)
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		SimulatedResponse response = this.qoder.getSession(AUTH, SESSION);
		assertThat(response.status()).isEqualTo(200);
		JsonNode session = JSON.readTree(response.body());
		assertThat(session.get("id").asString()).isEqualTo(SESSION);
		assertThat(session.get("type").asString()).isEqualTo("session");
		assertThat(session.get("status").asString()).isEqualTo("idle");
		assertThat(session.get("agent").get("model").get("id").asString()).isEqualTo("ultimate");
		assertThat(session.get("usage").get("total_credits").decimalValue()).isGreaterThan(spans);
		assertThat(session.get("stats").get("active_seconds").isNumber()).isTrue();
		assertThat(Instant.parse(session.get("updated_at").asString()))
			.isAfterOrEqualTo(Instant.parse(session.get("created_at").asString()));
	}

	@Test
	void getSessionWhenPrimaryContractShapeThenModelIsAString() {
		this.qoder.createSession(SESSION, UpstreamShape.V0);
		JsonNode session = JSON.readTree(this.qoder.getSession(AUTH, SESSION).body());
		assertThat(session.get("agent").get("model").asString()).isEqualTo("qwen3-coder");
	}

	@Test
	void getSessionWhenUnknownUnauthorizedOrFaultedThenErrorsAndTheEventsEndpointUnaffected() {
		assertThat(this.qoder.getSession(AUTH, SESSION).status()).isEqualTo(404);
		this.qoder.createSession(SESSION);
		assertThat(this.qoder.getSession("Bearer nope", SESSION).status()).isEqualTo(401);
		this.qoder.failNextSessionRead(SESSION, 2, 500, "{\"error\":{\"type\":\"api_error\"}}");
		assertThat(this.qoder.listEvents(AUTH, "application/json", SESSION, java.util.Map.of()).status())
			.isEqualTo(200);
		assertThat(this.qoder.getSession(AUTH, SESSION).status()).isEqualTo(500);
		assertThat(this.qoder.getSession(AUTH, SESSION).status()).isEqualTo(500);
		assertThat(this.qoder.getSession(AUTH, SESSION).status()).isEqualTo(200);
		assertThat(this.qoder.sessionReads()).isEqualTo(5);
	}

	@Test
	void seedWhenDemoSessionsThenTheFirstSpeaksThePrimaryContractAndTheOthersTodaysShape() {
		List<String> tracked = new ArrayList<>();
		DemoTraffic traffic = new DemoTraffic(this.qoder, this.events, tracked::add, 3, 1, java.time.Duration.ZERO,
				java.time.Clock.systemUTC());
		traffic.seed();
		assertThat(tracked).hasSize(3);
		List<String> v0 = this.qoder.events(DemoTraffic.sessionId(1));
		assertThat(v0).filteredOn((event) -> event.contains("\"turn_id\"")).hasSizeGreaterThan(v0.size() * 9 / 10);
		assertThat(this.qoder.events(DemoTraffic.sessionId(2))).noneMatch((event) -> event.contains("\"turn_id\""));
		assertThat(JSON.readTree(this.qoder.getSession(AUTH, DemoTraffic.sessionId(2)).body())
			.get("usage")
			.get("total_credits")
			.decimalValue()).isPositive();
	}

	private static List<JsonNode> parse(List<String> texts) {
		return texts.stream().map(JSON::readTree).toList();
	}

}
