package io.qoderevents.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class DemoEventsTests {

	private static final String SESSION = "sess_de000000000000000000000000000001";

	private static final Instant START = Instant.parse("2026-05-18T03:40:48Z");

	private final DemoEvents events = new DemoEvents(new Random(42));

	@Test
	void turnWhenPlayedManyTimesThenIdsMixKindsAndStringOrderIsNotListOrder() {
		List<String> ids = turns(40).stream().map((event) -> event.get("id").asString()).toList();
		assertThat(ids).allMatch((id) -> id.matches("evt_([0-9a-f]{32}|[a-z2-7]{10,26})"));
		assertThat(ids).anyMatch((id) -> id.matches("evt_[0-9a-f]{12}7[0-9a-f]{19}"))
			.anyMatch((id) -> id.matches("evt_[0-9a-f]{12}4[0-9a-f]{19}"))
			.anyMatch((id) -> id.matches("evt_[a-z2-7]{10,26}"));
		assertThat(ids).doesNotHaveDuplicates().isNotEqualTo(ids.stream().sorted().toList());
	}

	@Test
	void turnWhenPlayedManyTimesThenTimestampsParseIncreaseAndVaryInPrecision() {
		Instant previous = Instant.MIN;
		Set<Integer> precisions = new HashSet<>();
		int missing = 0;
		for (JsonNode event : turns(40)) {
			for (String field : List.of("created_at", "processed_at")) {
				String text = event.path(field).asString(null);
				if (text == null) {
					missing++;
					continue;
				}
				assertThat(text).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z");
				Instant instant = Instant.parse(text);
				assertThat(instant).isAfterOrEqualTo(previous);
				previous = instant;
				precisions.add(text.contains(".") ? text.indexOf('Z') - text.indexOf('.') - 1 : 0);
			}
			assertThat(event.has("created_at") || event.has("processed_at")).isTrue();
		}
		assertThat(precisions).contains(0, 3, 9);
		assertThat(missing).isPositive();
	}

	@Test
	void turnWhenPlayedThenEndsIdleWithUsageAndStopReason() {
		for (int i = 0; i < 30; i++) {
			List<JsonNode> turn = parse(this.events.turn(SESSION, START, UpstreamShape.V0));
			JsonNode idle = turn.get(turn.size() - 1);
			assertThat(turn.get(0).get("type").asString()).isEqualTo("user.message");
			assertThat(idle.get("type").asString()).isEqualTo("session.status_idle");
			assertThat(idle.get("status").asString()).isEqualTo("idle");
			assertThat(idle.get("usage").propertyNames()).containsExactly("input_tokens", "output_tokens",
					"cache_read_input_tokens", "cache_creation_input_tokens");
			assertThat(idle.get("usage").get("input_tokens").asLong()).isNotNegative();
			assertThat(idle.get("stop_reason").get("type").asString()).isIn("end_turn", "requires_action",
					"retries_exhausted");
			assertThat(turn).allMatch((event) -> event.get("type").isString());
		}
	}

	@Test
	void turnWhenPlayedManyTimesThenIncludesErrorsToolsAndContentVariants() {
		List<JsonNode> all = turns(80);
		List<String> types = all.stream().map((event) -> event.get("type").asString()).toList();
		assertThat(types).contains("session.status_running", "span.model_request_start", "agent.thinking",
				"agent.tool_use", "agent.tool_result", "span.model_request_end", "agent.message", "session.error");
		List<JsonNode> errors = all.stream()
			.filter((event) -> event.get("type").asString().equals("session.error"))
			.toList();
		assertThat(errors).anyMatch((error) -> error.has("retry_status"))
			.anyMatch((error) -> error.get("error").has("retry_status"))
			.allMatch((error) -> error.get("details").has("name"));
		assertThat(all).anyMatch((event) -> event.path("content").isString())
			.anyMatch((event) -> event.get("type").asString().equals("user.message") && event.get("content").isArray())
			.anyMatch((event) -> event.has("x_trace"));
	}

	@Test
	void terminationWhenPlayedThenEndsWithTerminatedAfterTheLastTurn() {
		List<JsonNode> turn = parse(this.events.turn(SESSION, START, UpstreamShape.V0));
		List<JsonNode> end = parse(this.events.termination(SESSION, START, UpstreamShape.V0));
		assertThat(end.get(end.size() - 1).get("type").asString()).isIn("terminated", "session.status_terminated");
		String lastOfTurn = turn.get(turn.size() - 1).path("processed_at").asString(null);
		String firstOfEnd = end.get(0).path("processed_at").asString(null);
		if (lastOfTurn != null && firstOfEnd != null) {
			assertThat(Instant.parse(firstOfEnd)).isAfter(Instant.parse(lastOfTurn));
		}
	}

	private List<JsonNode> turns(int count) {
		List<JsonNode> all = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			all.addAll(parse(this.events.turn(SESSION, START, UpstreamShape.V0)));
		}
		return all;
	}

	private static List<JsonNode> parse(List<String> texts) {
		return texts.stream().map((text) -> JsonMapper.shared().readTree(text)).toList();
	}

}
