package io.qoderevents;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * Plain HTTP calls to a running instance, answering status, headers and body whatever the
 * status.
 */
public final class ApiClient {

	private final String baseUrl;

	private final RestClient rest = RestClient.create();

	public ApiClient(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	public Response get(String uri, String... headers) {
		return exchange(HttpMethod.GET, uri, null, headers);
	}

	public Response post(String uri, String body, String... headers) {
		return exchange(HttpMethod.POST, uri, body, headers);
	}

	/**
	 * Sends a request as given: the URI is not encoded again, so tests can send what a
	 * hostile caller would.
	 * @param headers name, value pairs
	 */
	public Response exchange(HttpMethod method, String uri, String body, String... headers) {
		RestClient.RequestBodySpec request = this.rest.method(method)
			.uri(URI.create(this.baseUrl + uri))
			.headers((all) -> {
				for (int i = 0; i + 1 < headers.length; i += 2) {
					all.add(headers[i], headers[i + 1]);
				}
			});
		if (body != null) {
			request.body(body);
		}
		return request.exchange((req, response) -> new Response(response.getStatusCode().value(), response.getHeaders(),
				new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
	}

	/** A response. */
	public record Response(int status, HttpHeaders headers, String body) {

		public String contentType() {
			return String.valueOf(this.headers.getContentType());
		}

	}

}
