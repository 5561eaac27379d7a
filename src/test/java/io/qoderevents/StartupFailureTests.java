package io.qoderevents;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start outside the demo that lacks what it needs stops with one "what is wrong / what
 * to set" report naming the property and its environment variable.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests extends IntegrationTest {

	@Test
	void startWhenTokenEmptyOutsideDemoThenRefusesNamingQoderPat(CapturedOutput output) {
		assertThatThrownBy(
				() -> startOutsideDemo(Map.of("qoder.upstream.token", "", "qoder.api.auth.enabled", "false")))
			.hasStackTraceContaining("No token for the Qoder API");
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("qoder.upstream.token (environment QODER_PAT) is missing or empty")
			.contains("Set QODER_PAT (or qoder.upstream.token)");
	}

	@Test
	void startWhenDatabaseUnreachableThenNamesTheDatabaseAndTheDatasourceSettings(CapturedOutput output) {
		String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/qoder_events";
		assertThatThrownBy(() -> startOutsideDemo(
				Map.of("spring.datasource.url", url + "?password=hidden", "qoder.api.auth.enabled", "false")))
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("Cannot use the PostgreSQL database " + url + ": Connection to 127.0.0.1:")
			.contains("spring.datasource.url (SPRING_DATASOURCE_URL)")
			.doesNotContain("hidden");
	}

}
