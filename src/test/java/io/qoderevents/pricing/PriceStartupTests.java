package io.qoderevents.pricing;

import java.util.Map;

import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prices in the settings that cannot be kept stop the start-up, naming the setting. */
@ExtendWith(OutputCaptureExtension.class)
class PriceStartupTests extends IntegrationTest {

	@Test
	void startWhenSettingsPriceFromOffTheQuarterHourThenRefusesNamingTheSetting(CapturedOutput output) {
		// the demo profile of the test context seeds prices of its own
		long before = count("select count(*) from price");
		assertThatThrownBy(() -> startOutsideDemo(Map.of("qoder.api.auth.enabled", "false",
				"qoder.pricing.credits[0].from", "2026-01-01T00:07:00Z", "qoder.pricing.credits[0].price", "0.04")))
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("qoder.pricing.credits[0].from (QODER_PRICING_CREDITS_0_FROM) is 2026-01-01T00:07:00Z,"
					+ " which is not on a quarter hour")
			.contains("Set qoder.pricing.credits[0].from to a UTC time at :00, :15, :30 or :45");
		assertThat(count("select count(*) from price")).isEqualTo(before);
	}

	@Test
	void startWhenCurrencyNotIso4217ThenRefusesNamingTheSetting(CapturedOutput output) {
		assertThatThrownBy(
				() -> startOutsideDemo(Map.of("qoder.api.auth.enabled", "false", "qoder.pricing.currency", "DOLLARS")))
			.isNotNull();
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("qoder.pricing.currency");
	}

}
