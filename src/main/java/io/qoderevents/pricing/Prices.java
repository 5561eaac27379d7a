package io.qoderevents.pricing;

import java.time.Clock;
import java.util.List;

import io.qoderevents.config.QoderProperties;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The effective-dated prices of credits and tokens, in the deployment's one currency:
 * those of the settings, seeded at start-up, and those added through the API.
 */
@Service
public class Prices {

	private final JdbcPriceRepository repository;

	private final String currency;

	private final Clock clock;

	Prices(JdbcPriceRepository repository, QoderProperties properties, Clock clock) {
		this.repository = repository;
		this.currency = properties.pricing().currency().getCurrencyCode();
		this.clock = clock;
	}

	/** The ISO 4217 code of every price and cost ({@code qoder.pricing.currency}). */
	public String currency() {
		return this.currency;
	}

	/** Every price, by kind, model and {@code from}. */
	@Transactional(readOnly = true)
	public List<Price> all() {
		return this.repository.all();
	}

	/** Every price, for lookups in memory. */
	@Transactional(readOnly = true)
	public PriceList priceList() {
		return new PriceList(this.repository.all());
	}

	/**
	 * Adds a price.
	 * @throws DuplicatePriceException when one of its kind, model and {@code from} exists
	 */
	@Transactional
	Price add(Price price) {
		return this.repository.add(price, this.clock.instant()).orElseThrow(() -> new DuplicatePriceException(price));
	}

	/**
	 * Writes the settings' prices, all or none: a replica starting at the same time
	 * writes the same rows, or waits and changes nothing.
	 * @return the rows inserted or changed
	 */
	@Transactional
	int seed(List<Price> prices) {
		int changed = 0;
		for (Price price : prices) {
			changed += this.repository.seed(price, this.clock.instant());
		}
		return changed;
	}

}
