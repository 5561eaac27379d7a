package io.qoderevents.pricing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.Pricing;
import io.qoderevents.config.Pricing.CreditPrice;
import io.qoderevents.config.Pricing.TokenPrice;

/**
 * The prices of {@code qoder.pricing.*}, checked: each {@code from} on a quarter hour, no
 * two of one kind and model from the same time. A failed check stops the start-up, naming
 * the setting.
 */
final class PriceSettings {

	private PriceSettings() {
	}

	static List<Price> prices(Pricing pricing) {
		List<Price> prices = new ArrayList<>();
		for (int i = 0; i < pricing.credits().size(); i++) {
			CreditPrice credit = pricing.credits().get(i);
			prices.add(checked(Price.credit(credit.from(), credit.price(), Price.Source.SETTINGS),
					"qoder.pricing.credits[" + i + "]"));
		}
		for (int i = 0; i < pricing.tokens().size(); i++) {
			TokenPrice tokens = pricing.tokens().get(i);
			prices.add(checked(Price.tokens(tokens.model(), tokens.from(), tokens.input(), tokens.output(),
					tokens.cacheRead(), tokens.cacheCreation(), Price.Source.SETTINGS),
					"qoder.pricing.tokens[" + i + "]"));
		}
		Set<List<Object>> keys = new HashSet<>();
		for (Price price : prices) {
			if (!keys.add(key(price))) {
				throw new MissingSettingException(
						"Two " + price.kind().value() + " prices"
								+ ((price.model() != null) ? " of " + price.model() : "")
								+ " in qoder.pricing take effect from " + price.from() + ".",
						"Keep one price per kind, model and from in qoder.pricing.");
			}
		}
		return prices;
	}

	private static Price checked(Price price, String setting) {
		if (!Price.onQuarterHour(price.from())) {
			String variable = setting.toUpperCase(Locale.ROOT).replace('.', '_').replace("[", "_").replace("]", "");
			throw new MissingSettingException(setting + ".from (" + variable + "_FROM) is " + price.from()
					+ ", which is not on a quarter hour: usage is kept in 15-minute buckets, each priced whole.",
					"Set " + setting + ".from to a UTC time at :00, :15, :30 or :45 with no seconds,"
							+ " for example 2026-01-01T00:00:00Z.");
		}
		return price;
	}

	private static List<Object> key(Price price) {
		return List.of(price.kind(), String.valueOf(price.model()), price.from());
	}

}
