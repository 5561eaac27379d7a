package io.qoderevents.pricing;

import io.qoderevents.config.QoderProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Puts the prices of {@code qoder.pricing.*} into the price table as the service starts,
 * before it serves a request; a price whose {@code from} is not on a quarter hour stops
 * the start-up.
 */
@Component
class PriceSeeding implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(PriceSeeding.class);

	private final Prices prices;

	private final QoderProperties properties;

	PriceSeeding(Prices prices, QoderProperties properties) {
		this.prices = prices;
		this.properties = properties;
	}

	@Override
	public void afterPropertiesSet() {
		seed();
	}

	/** Seeds the settings' prices; returns the rows inserted or changed. */
	int seed() {
		int changed = this.prices.seed(PriceSettings.prices(this.properties.pricing()));
		if (changed > 0) {
			logger.info("{} price(s) of qoder.pricing written", changed);
		}
		return changed;
	}

}
