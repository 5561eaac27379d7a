package io.qoderevents.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.Pricing;
import io.qoderevents.config.Pricing.CreditPrice;
import io.qoderevents.config.Pricing.TokenPrice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PriceSettingsTests {

	private static final Currency USD = Currency.getInstance("USD");

	@Test
	void pricesWhenSettingsOnQuarterHoursThenEverySettingsPrice() {
		Pricing pricing = new Pricing(USD,
				List.of(new CreditPrice(Instant.parse("2026-01-01T00:00:00Z"), new BigDecimal("0.04"))),
				List.of(tokens("ultimate", "2026-01-01T00:45:00Z")));
		assertThat(PriceSettings.prices(pricing)).containsExactly(
				Price.credit(Instant.parse("2026-01-01T00:00:00Z"), new BigDecimal("0.04"), Price.Source.SETTINGS),
				Price.tokens("ultimate", Instant.parse("2026-01-01T00:45:00Z"), new BigDecimal("3.00"),
						new BigDecimal("15.00"), new BigDecimal("0.30"), new BigDecimal("3.75"),
						Price.Source.SETTINGS));
	}

	@Test
	void pricesWhenFromOffTheQuarterHourThenStartupFailsNamingTheSetting() {
		Pricing pricing = new Pricing(USD, List.of(),
				List.of(tokens("ultimate", "2026-01-01T00:00:00Z"), tokens("lite", "2026-01-01T00:20:00Z")));
		assertThatExceptionOfType(MissingSettingException.class).isThrownBy(() -> PriceSettings.prices(pricing))
			.withMessageStartingWith("qoder.pricing.tokens[1].from (QODER_PRICING_TOKENS_1_FROM) is"
					+ " 2026-01-01T00:20:00Z, which is not on a quarter hour")
			.satisfies(
					(ex) -> assertThat(ex.action()).contains("qoder.pricing.tokens[1].from", ":00, :15, :30 or :45"));
	}

	@Test
	void pricesWhenTwoOfOneModelFromTheSameTimeThenStartupFails() {
		Pricing pricing = new Pricing(USD, List.of(),
				List.of(tokens("ultimate", "2026-01-01T00:00:00Z"), tokens("ultimate", "2026-01-01T00:00:00Z")));
		assertThatExceptionOfType(MissingSettingException.class).isThrownBy(() -> PriceSettings.prices(pricing))
			.withMessage("Two tokens prices of ultimate in qoder.pricing take effect from 2026-01-01T00:00:00Z.");
	}

	private static TokenPrice tokens(String model, String from) {
		return new TokenPrice(model, Instant.parse(from), new BigDecimal("3.00"), new BigDecimal("15.00"),
				new BigDecimal("0.30"), new BigDecimal("3.75"));
	}

}
