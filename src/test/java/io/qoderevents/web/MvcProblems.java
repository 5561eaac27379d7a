package io.qoderevents.web;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the problem answers of a web slice. */
public final class MvcProblems {

	private MvcProblems() {
	}

	/**
	 * Asserts that a GET of the URI is a 400 problem whose first error names the field.
	 */
	public static void assertInvalid(MockMvcTester mvc, String uri, String field) {
		assertThat(mvc.get().uri(uri)).hasStatus(400)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo(field);
	}

}
