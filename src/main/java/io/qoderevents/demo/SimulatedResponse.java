package io.qoderevents.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the simulator.
 *
 * @param status the HTTP status
 * @param headers the response headers, {@code x-request-id} always among them
 * @param body the body, empty for none
 */
public record SimulatedResponse(int status, Map<String, String> headers, String body) {

	public SimulatedResponse {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		body = (body != null) ? body : "";
	}

	/** The value of a header, matched ignoring case, or {@code null}. */
	public String header(String name) {
		return this.headers.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

}
