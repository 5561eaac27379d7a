package io.qoderevents.web;

import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocsTests extends IntegrationTest {

	@Test
	void apiDocsWhenRequestedThenEveryEndpointWithSnakeCaseSchemas() {
		String docs = this.api.getRaw("/v3/api-docs").body();
		assertThat(docs)
			.contains("\"/api/v1/tracked-sessions\"", "\"/api/v1/tracked-sessions/{session_id}\"",
					"\"/api/v1/tracked-sessions/{session_id}/sync\"", "\"/api/v1/events\"",
					"\"/api/v1/sessions/{session_id}/events\"", "\"/api/v1/sessions/{session_id}/usage\"",
					"\"/api/v1/usage\"", "\"/api/v1/errors\"", "\"/api/v1/sessions/{session_id}/errors\"",
					"\"/api/v1/webhooks/qoder\"", "\"/api/v1/prices\"", "\"/api/v1/budgets\"", "\"/api/v1/ingestion\"",
					"\"webhook-signature\"")
			.contains("\"next_cursor\"", "\"event_count\"", "\"total_tokens\"")
			.doesNotContain("\"nextCursor\"", "\"eventCount\"", "/demo/upstream");
		assertThat(this.api.getRaw("/swagger-ui.html").status()).isIn(200, 302);
	}

	@Test
	void apiDocsWhenRequestedThenEveryOperationDocumentsItsProblemsAndNoErrorPath() {
		JsonNode docs = Api.json(this.api.getRaw("/v3/api-docs"));
		assertThat(docs.get("paths").has("/error")).isFalse();
		assertThat(docs.get("paths").has("/")).isFalse();
		JsonNode problem = docs.get("components").get("schemas").get("Problem");
		assertThat(problem.get("properties").propertyNames()).contains("type", "title", "status", "detail", "errors",
				"accepted_parameters");
		assertThat(docs.get("components").get("schemas").has("ProblemDetail")).isFalse();
		List<String> checked = new ArrayList<>();
		docs.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			JsonNode responses = operation.getValue().get("responses");
			List<String> expected = new ArrayList<>(List.of("400", "401"));
			boolean keyed = !path.getKey().equals("/api/v1/webhooks/qoder");
			if (keyed && !operation.getKey().equals("get")) {
				expected.add("403");
			}
			if (path.getKey().contains("{session_id}")) {
				expected.add("404");
			}
			for (String status : expected) {
				assertThat(responses.get(status)).as(operation.getKey() + " " + path.getKey() + " " + status)
					.isNotNull();
				assertThat(responses.get(status)
					.get("content")
					.get("application/problem+json")
					.get("schema")
					.get("$ref")
					.asString()).isEqualTo("#/components/schemas/Problem");
			}
			checked.add(operation.getKey() + " " + path.getKey());
		}));
		assertThat(checked).hasSize(16);
		JsonNode track = docs.get("paths").get("/api/v1/tracked-sessions").get("post").get("responses");
		assertThat(track.get("201").get("headers").has("Location")).isTrue();
		assertThat(track.get("201").get("content").get("application/json").get("schema").get("$ref").asString())
			.endsWith("/TrackedSessionResponse");
		assertThat(track.has("200")).isTrue();
		assertThat(track.has("413")).isTrue();
		assertThat(track.has("415")).isTrue();
		assertThat(docs.get("paths")
			.get("/api/v1/sessions/{session_id}/usage")
			.get("get")
			.get("parameters")
			.values()
			.stream()
			.map((parameter) -> parameter.get("name").asString())).containsExactly("session_id", "since", "until");
	}

}
