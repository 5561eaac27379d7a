package io.qoderevents.budgets;

import java.util.Map;

import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budgets in the settings that cannot be kept stop the start-up, naming the setting. */
@ExtendWith(OutputCaptureExtension.class)
class BudgetStartupTests extends IntegrationTest {

	@Test
	void startWhenScopeUnknownThenRefusesNamingTheSetting(CapturedOutput output) {
		assertThatThrownBy(() -> startOutsideDemo(
				Map.of("qoder.api.auth.enabled", "false", "qoder.budgets[0].name", "monthly", "qoder.budgets[0].scope",
						"team=payments", "qoder.budgets[0].period", "month", "qoder.budgets[0].limit", "500")))
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("qoder.budgets[0].scope (QODER_BUDGETS_0_SCOPE) is 'team=payments', which names no sessions.");
	}

	@Test
	void startWhenZoneUnknownThenRefusesNamingTheSetting(CapturedOutput output) {
		assertThatThrownBy(() -> startOutsideDemo(Map.of("qoder.api.auth.enabled", "false", "qoder.budgets[0].name",
				"monthly", "qoder.budgets[0].scope", "all", "qoder.budgets[0].period", "month", "qoder.budgets[0].zone",
				"Mars/Olympus", "qoder.budgets[0].limit", "500")))
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("qoder.budgets[0].zone")
			.contains("Mars/Olympus");
	}

}
