package io.qoderevents.pricing;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.qoderevents.web.InvalidParameterException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A price to add: a credit price ({@code price}) or a model's tokens price (the four
 * amounts, per million tokens), effective from a time on.
 *
 * @param kind {@code credit} or {@code tokens}
 * @param model the model of a tokens price; absent for a credit price
 * @param from when the price takes effect: RFC 3339, on a quarter hour (UTC); past times
 * reprice every later report
 * @param price the price of one credit
 * @param input the price of a million input tokens
 * @param output the price of a million output tokens
 * @param cacheRead the price of a million cache-read input tokens
 * @param cacheCreation the price of a million cache-creation input tokens
 */
record NewPrice(@Schema(example = "credit") String kind, String model,
		@Schema(format = "date-time", example = "2026-01-01T00:00:00Z") String from, BigDecimal price, BigDecimal input,
		BigDecimal output, BigDecimal cacheRead, BigDecimal cacheCreation) {

	/** Digits allowed on each side of the decimal point. */
	private static final int DIGITS = 20;

	/** The price this asks for, or the first thing wrong with it. */
	Price toPrice() {
		Price.Kind parsed = (this.kind != null) ? Price.Kind.of(this.kind) : null;
		if (parsed == null) {
			throw new InvalidParameterException("kind", "kind must be credit or tokens");
		}
		Instant start = start();
		if (parsed == Price.Kind.CREDIT) {
			absent("model", this.model);
			absent("input", this.input);
			absent("output", this.output);
			absent("cache_read", this.cacheRead);
			absent("cache_creation", this.cacheCreation);
			return Price.credit(start, amount("price", this.price), Price.Source.API);
		}
		if (this.model == null || this.model.isBlank()) {
			throw new InvalidParameterException("model", "model is required for a tokens price");
		}
		absent("price", this.price);
		return Price.tokens(this.model, start, amount("input", this.input), amount("output", this.output),
				amount("cache_read", this.cacheRead), amount("cache_creation", this.cacheCreation), Price.Source.API);
	}

	private Instant start() {
		if (this.from == null) {
			throw new InvalidParameterException("from", "from is required");
		}
		Instant start;
		try {
			start = OffsetDateTime.parse(this.from).toInstant();
		}
		catch (DateTimeException ex) {
			throw new InvalidParameterException("from", "from must be an RFC 3339 time, like 2026-01-01T00:00:00Z");
		}
		if (!Price.onQuarterHour(start)) {
			throw new InvalidParameterException("from", "from must be on a UTC quarter hour (:00, :15, :30 or :45,"
					+ " no seconds): usage is kept in 15-minute buckets, each priced whole");
		}
		return start;
	}

	private String kindName() {
		return (Price.Kind.of(this.kind) == Price.Kind.CREDIT) ? "a credit price" : "a tokens price";
	}

	private void absent(String field, Object value) {
		if (value != null) {
			throw new InvalidParameterException(field, field + " is not part of " + kindName());
		}
	}

	private BigDecimal amount(String field, BigDecimal value) {
		if (value == null) {
			throw new InvalidParameterException(field, field + " is required for " + kindName());
		}
		if (value.signum() < 0) {
			throw new InvalidParameterException(field, field + " must not be negative");
		}
		if (value.scale() > DIGITS || value.precision() - value.scale() > DIGITS) {
			throw new InvalidParameterException(field,
					field + " may have at most " + DIGITS + " digits before and after the decimal point");
		}
		return value;
	}

}
