package io.qoderevents.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which clients of {@code GET /} get the console rather than the JSON index. */
class ConsoleIndexNegotiationTests {

	@ParameterizedTest(name = "{0}: console {1}")
	@CsvSource(delimiter = '|', nullValues = "none", textBlock = """
			text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8 | true
			text/html                                                                | true
			application/json, text/html;q=0.5                                        | false
			text/html;q=0.9, application/json;q=0.9                                  | true
			*/*                                                                      | false
			application/json                                                         | false
			text/plain, application/json, application/*+json, */*                    | false
			none                                                                     | false
			not a media type                                                         | false
			""")
	void wantsHtmlWhenAcceptGivenThenOnlyBrowsersGetTheConsole(String accept, boolean console) {
		assertThat(IndexController.wantsHtml(accept)).isEqualTo(console);
	}

}
