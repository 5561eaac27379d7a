package io.qoderevents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the running service's API over HTTP, whatever the status, and reads the answers.
 */
public final class Api {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final RestClient http;

	public Api(int port) {
		this.http = RestClient.create("http://127.0.0.1:" + port);
	}

	public Response get(String uri, Object... variables) {
		return fetch("application/json", uri, variables);
	}

	public Response fetch(String accept, String uri, Object... variables) {
		return this.http.get()
			.uri(uri, variables)
			.header("Accept", accept)
			.exchange((request, response) -> response(response));
	}

	public Response fetchWithoutAccept(String uri) {
		return this.http.get().uri(uri).exchange((request, response) -> response(response));
	}

	/** The JSON body of a 200. */
	public static JsonNode json(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/** The event ids of a list page. */
	public static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("data").forEach((event) -> ids.add(event.get("id").asString()));
		return ids;
	}

	/** Asserts a 400 problem whose first error names the field. */
	public static void assertInvalid(Response response, String field) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
	}

	private static Response response(ClientHttpResponse response) throws IOException {
		return new Response(response.getStatusCode().value(), String.valueOf(response.getHeaders().getContentType()),
				new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
	}

	public record Response(int status, String contentType, String body) {
	}

}
