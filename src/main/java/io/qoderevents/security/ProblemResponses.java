package io.qoderevents.security;

import java.io.IOException;

import io.qoderevents.web.ProblemDetails;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Writes problem+json from filters, where no controller advice reaches. */
final class ProblemResponses {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ProblemResponses() {
	}

	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		ProblemDetail problem = ProblemDetails.of(status, detail);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(MAPPER.writeValueAsBytes(problem));
	}

}
