package io.qoderevents.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PriceListTests {

	private static final PriceList PRICES = new PriceList(List.of(credit("2026-03-01T00:00:00Z", "0.05"),
			credit("2026-01-01T00:00:00Z", "0.04"), credit("2026-02-01T12:15:00Z", "0.045"),
			tokens("ultimate", "2026-01-01T00:00:00Z", "3.00"), tokens("ultimate", "2026-02-01T00:00:00Z", "2.50"),
			tokens("lite", "2026-02-01T00:00:00Z", "0.25")));

	@ParameterizedTest(name = "{0} {1} at {2} -> {3}")
	@CsvSource(nullValues = "none", textBlock = """
			credit, none,     2025-12-31T23:59:59.999999999Z, none
			credit, none,     2026-01-01T00:00:00Z,           0.04
			credit, ultimate, 2026-01-15T00:00:00Z,           0.04
			credit, none,     2026-02-01T12:14:59.999Z,       0.04
			credit, none,     2026-02-01T12:15:00Z,           0.045
			credit, none,     2026-02-28T23:59:59Z,           0.045
			credit, none,     2026-03-01T00:00:00Z,           0.05
			credit, none,     2099-01-01T00:00:00Z,           0.05
			tokens, ultimate, 2025-12-31T23:45:00Z,           none
			tokens, ultimate, 2026-01-01T00:00:00Z,           3.00
			tokens, ultimate, 2026-01-31T23:59:59Z,           3.00
			tokens, ultimate, 2026-02-01T00:00:00Z,           2.50
			tokens, lite,     2026-01-31T23:59:59Z,           none
			tokens, lite,     2026-02-01T00:00:00Z,           0.25
			tokens, efficient, 2026-06-01T00:00:00Z,          none
			tokens, none,     2026-06-01T00:00:00Z,           none
			""")
	void lookupWhenPricesOverTimeThenTheLatestFromNotAfterTheInstant(String kind, String model, String at,
			BigDecimal expected) {
		Price.Kind priceKind = Price.Kind.of(kind);
		BigDecimal found = PRICES.lookup(priceKind, model, Instant.parse(at))
			.map((price) -> (priceKind == Price.Kind.CREDIT) ? price.price() : price.input())
			.orElse(null);
		assertThat(found).isEqualTo(expected);
	}

	@Test
	void lookupWhenAmountsHaveTrailingZerosThenReturnedExactlyAsGiven() {
		Price price = PRICES.lookup(Price.Kind.TOKENS, "ultimate", Instant.parse("2026-01-02T00:00:00Z")).orElseThrow();
		assertThat(price.input()).hasToString("3.00");
		assertThat(price.from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void lookupWhenNoPricesThenEmpty() {
		assertThat(new PriceList(List.of()).lookup(Price.Kind.CREDIT, null, Instant.EPOCH)).isEmpty();
	}

	@Test
	void priceListWhenTwoPricesOfOneKindModelAndTimeThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PriceList(List.of(tokens("lite", "2026-02-01T00:00:00Z", "0.25"),
					tokens("lite", "2026-02-01T00:00:00Z", "0.30"))))
			.withMessage("Two tokens prices of lite from 2026-02-01T00:00:00Z");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(textBlock = """
			2026-01-01T00:00:00Z,           true
			2026-01-01T00:15:00Z,           true
			2026-01-01T23:45:00Z,           true
			1969-12-31T23:45:00Z,           true
			2026-01-01T00:10:00Z,           false
			2026-01-01T00:15:01Z,           false
			2026-01-01T00:15:00.000000001Z, false
			1969-12-31T23:50:00Z,           false
			""")
	void onQuarterHourWhenInstantGivenThenOnlyWholeUtcQuarterHours(String instant, boolean expected) {
		assertThat(Price.onQuarterHour(Instant.parse(instant))).isEqualTo(expected);
	}

	private static Price credit(String from, String price) {
		return Price.credit(Instant.parse(from), new BigDecimal(price), Price.Source.SETTINGS);
	}

	private static Price tokens(String model, String from, String input) {
		return Price.tokens(model, Instant.parse(from), new BigDecimal(input), BigDecimal.ONE, BigDecimal.ZERO,
				BigDecimal.TEN, Price.Source.API);
	}

}
