package io.qoderevents.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Builds and writes the RFC 9457 bodies of this API, with a stable {@code type} per HTTP
 * status: the one writer that the advice, the error controller, Tomcat's error report,
 * the filters and the security entry points share.
 */
public final class ProblemDetails {

	private static final String TYPE_BASE = "https://qoder-events.io/problems/";

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	private ProblemDetails() {
	}

	/** A problem for the status with a human-readable detail. */
	public static ProblemDetail of(HttpStatusCode status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		return typed(problem);
	}

	/** A 400 naming the invalid parameters. */
	public static ProblemDetail invalid(String detail, List<Map<String, String>> errors) {
		ProblemDetail problem = of(HttpStatusCode.valueOf(400), detail);
		problem.setType(URI.create(TYPE_BASE + "invalid-parameter"));
		problem.setProperty("errors", errors);
		return problem;
	}

	/** A 400 naming one invalid parameter. */
	public static ProblemDetail invalid(String field, String message, String detail) {
		return invalid(detail, List.of(Map.of("field", field, "message", message)));
	}

	/** Fills in the type and title that a framework-made problem lacks. */
	public static ProblemDetail typed(ProblemDetail problem) {
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			problem.setType(URI.create(TYPE_BASE + slug(problem.getStatus())));
		}
		return problem;
	}

	/** The problem as the answer of a handler. */
	public static <T> ResponseEntity<T> respond(ProblemDetail problem) {
		@SuppressWarnings("unchecked")
		T body = (T) typed(problem);
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
	}

	/** Writes the problem where no handler answers (filters, security entry points). */
	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(MAPPER.writeValueAsBytes(typed(problem)));
	}

	/** Writes a problem for the status with a human-readable detail. */
	public static void write(HttpServletResponse response, HttpStatusCode status, String detail) throws IOException {
		write(response, of(status, detail));
	}

	/** The problem as JSON text, for writers that only take characters. */
	static String json(ProblemDetail problem) {
		return MAPPER.writeValueAsString(typed(problem));
	}

	private static String slug(int status) {
		return switch (status) {
			case 400 -> "bad-request";
			case 401 -> "unauthorized";
			case 403 -> "forbidden";
			case 404 -> "not-found";
			case 405 -> "method-not-allowed";
			case 406 -> "not-acceptable";
			case 413 -> "payload-too-large";
			case 415 -> "unsupported-media-type";
			case 429 -> "too-many-requests";
			default -> (status >= 500) ? "internal-error" : "http-" + status;
		};
	}

}
