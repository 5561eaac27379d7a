package io.qoderevents.pricing;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prices in memory, each in effect from its {@code from} until the next of its kind (and,
 * for tokens, model): the lookup a budget or a report does for one unit of usage.
 */
public final class PriceList {

	private final Map<String, NavigableMap<Instant, Price>> periods = new HashMap<>();

	/**
	 * The list of these prices.
	 * @throws IllegalArgumentException when two prices share kind, model and {@code from}
	 */
	public PriceList(Collection<Price> prices) {
		for (Price price : prices) {
			Price earlier = this.periods.computeIfAbsent(key(price.kind(), price.model()), (key) -> new TreeMap<>())
				.put(price.from(), price);
			if (earlier != null) {
				throw new IllegalArgumentException("Two " + price.kind().value() + " prices"
						+ ((price.model() != null) ? " of " + price.model() : "") + " from " + price.from());
			}
		}
	}

	/**
	 * The price in effect at the instant: the one of the kind (and, for tokens, the
	 * model; a credit price has none) with the latest {@code from} not after it; empty
	 * when none is in effect yet.
	 */
	public Optional<Price> lookup(Price.Kind kind, String model, Instant at) {
		NavigableMap<Instant, Price> prices = (kind == Price.Kind.TOKENS && model == null) ? null
				: this.periods.get(key(kind, model));
		if (prices == null) {
			return Optional.empty();
		}
		return Optional.ofNullable(prices.floorEntry(at)).map(Map.Entry::getValue);
	}

	private static String key(Price.Kind kind, String model) {
		return (kind == Price.Kind.CREDIT) ? "credit" : "tokens:" + model;
	}

}
