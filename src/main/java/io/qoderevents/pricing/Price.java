package io.qoderevents.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A price in effect from a time on, until the next one of its kind (and, for tokens,
 * model). A credit price carries {@code price}; a tokens price carries the four amounts,
 * each per million tokens. Amounts are exact decimals in the deployment's currency.
 *
 * @param kind {@code credit} or {@code tokens}
 * @param model the model of a tokens price; null for a credit price
 * @param from when the price takes effect, on a quarter hour (UTC)
 * @param price the price of one credit (credit prices only)
 * @param input the price of a million input tokens (tokens prices only)
 * @param output the price of a million output tokens (tokens prices only)
 * @param cacheRead the price of a million cache-read input tokens (tokens prices only)
 * @param cacheCreation the price of a million cache-creation input tokens (tokens prices
 * only)
 * @param source whether the price came from the settings or the API
 */
public record Price(Kind kind, @Schema(nullable = true) String model, Instant from,
		@JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal price,
		@JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal input,
		@JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal output,
		@JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal cacheRead,
		@JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal cacheCreation, Source source) {

	/** The price of one credit from a time on. */
	public static Price credit(Instant from, BigDecimal price, Source source) {
		return new Price(Kind.CREDIT, null, from, price, null, null, null, null, source);
	}

	/** One model's prices per million tokens from a time on. */
	public static Price tokens(String model, Instant from, BigDecimal input, BigDecimal output, BigDecimal cacheRead,
			BigDecimal cacheCreation, Source source) {
		return new Price(Kind.TOKENS, model, from, null, input, output, cacheRead, cacheCreation, source);
	}

	/**
	 * Whether the instant is a whole UTC quarter hour (:00, :15, :30 or :45, no seconds).
	 */
	static boolean onQuarterHour(Instant instant) {
		return instant.getNano() == 0 && Math.floorMod(instant.getEpochSecond(), 900) == 0;
	}

	/** What a price is of. */
	public enum Kind {

		/** One credit (today's upstream). */
		CREDIT("credit"),
		/** A million tokens of one model (the primary contract's shape). */
		TOKENS("tokens");

		private final String value;

		Kind(String value) {
			this.value = value;
		}

		/** The name in the API and the table. */
		@JsonValue
		public String value() {
			return this.value;
		}

		static Kind of(String value) {
			return Arrays.stream(values()).filter((kind) -> kind.value.equals(value)).findFirst().orElse(null);
		}

	}

	/** Where a price came from. */
	public enum Source {

		/** {@code qoder.pricing.*}, seeded at start-up. */
		SETTINGS("settings"),
		/** {@code POST /api/v1/prices}. */
		API("api");

		private final String value;

		Source(String value) {
			this.value = value;
		}

		/** The name in the API and the table. */
		@JsonValue
		public String value() {
			return this.value;
		}

		static Source of(String value) {
			return Arrays.stream(values()).filter((source) -> source.value.equals(value)).findFirst().orElseThrow();
		}

	}

}
