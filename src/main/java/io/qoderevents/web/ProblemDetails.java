package io.qoderevents.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 bodies of this API, with a stable {@code type} per HTTP status. */
public final class ProblemDetails {

	private static final String TYPE_BASE = "https://qoder-events.io/problems/";

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

	/** Fills in the type and title that a framework-made problem lacks. */
	public static ProblemDetail typed(ProblemDetail problem) {
		if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
			problem.setType(URI.create(TYPE_BASE + slug(problem.getStatus())));
		}
		return problem;
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
