package io.qoderevents;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls a running instance over HTTP, whatever the status, and reads the answers. URI
 * templates are expanded and encoded; {@link #exchange} sends a URI as given, so tests
 * can send what a hostile caller would.
 */
public final class Api {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final String baseUrl;

	private final RestClient http;

	public Api(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.http = RestClient.create(this.baseUrl);
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

	/**
	 * A GET sent as given, without an {@code Accept} header unless one is named.
	 * @param headers name, value pairs
	 */
	public Response getRaw(String uri, String... headers) {
		return exchange(HttpMethod.GET, uri, null, headers);
	}

	/**
	 * A POST sent as given.
	 * @param headers name, value pairs
	 */
	public Response post(String uri, String body, String... headers) {
		return exchange(HttpMethod.POST, uri, body, headers);
	}

	/**
	 * Sends a request as given: the URI is not encoded again.
	 * @param headers name, value pairs
	 */
	public Response exchange(HttpMethod method, String uri, String body, String... headers) {
		RestClient.RequestBodySpec request = this.http.method(method)
			.uri(URI.create(this.baseUrl + uri))
			.headers((all) -> {
				for (int i = 0; i + 1 < headers.length; i += 2) {
					all.add(headers[i], headers[i + 1]);
				}
			});
		if (body != null) {
			request.body(body);
		}
		return request.exchange((req, response) -> response(response));
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
		return new Response(response.getStatusCode().value(), response.getHeaders(),
				new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
	}

	/** A response: status, headers and body. */
	public record Response(int status, HttpHeaders headers, String body) {

		public String contentType() {
			return String.valueOf(this.headers.getContentType());
		}

	}

}
