package io.qoderevents.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report for requests it refuses before the application sees them (a
 * malformed or unsafe URL, an oversized header): problem+json instead of Tomcat's HTML
 * page. Public because Tomcat instantiates it by name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final String DETAIL = "The request was refused before it reached the API (malformed or unsafe URL or headers)";

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(ProblemDetails.json(ProblemDetails.of(HttpStatusCode.valueOf(status), DETAIL)));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the connection is gone or the response is committed: nothing more can be
			// said
		}
	}

}
