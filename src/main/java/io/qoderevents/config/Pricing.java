package io.qoderevents.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prices, each in effect from a time on until the next one of its kind (and model);
 * seeded into the price table at start-up, beside the prices added through the API.
 *
 * @param currency the ISO 4217 currency of every price and cost
 * @param credits the price of one credit, each from a time on
 * @param tokens per-model prices per million tokens, each from a time on
 */
public record Pricing(@NotNull @DefaultValue("USD") Currency currency, @Valid @DefaultValue List<CreditPrice> credits,
		@Valid @DefaultValue List<TokenPrice> tokens) {

	/**
	 * The price of one credit from a time on.
	 *
	 * @param from when the price takes effect, on a quarter hour (UTC)
	 * @param price the price of one credit
	 */
	public record CreditPrice(@NotNull Instant from, @NotNull @PositiveOrZero BigDecimal price) {
	}

	/**
	 * One model's token prices, per million tokens, from a time on.
	 *
	 * @param model the model id, as the upstream names it
	 * @param from when the prices take effect, on a quarter hour (UTC)
	 * @param input the price of a million input tokens
	 * @param output the price of a million output tokens
	 * @param cacheRead the price of a million cache-read input tokens
	 * @param cacheCreation the price of a million cache-creation input tokens
	 */
	public record TokenPrice(@NotBlank String model, @NotNull Instant from, @NotNull @PositiveOrZero BigDecimal input,
			@NotNull @PositiveOrZero BigDecimal output, @NotNull @PositiveOrZero BigDecimal cacheRead,
			@NotNull @PositiveOrZero BigDecimal cacheCreation) {
	}

}
