package io.qoderevents.usage;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Usage in a report with no price in effect: its cost is left out (null where nothing
 * else is priced).
 *
 * @param kind {@code credit} (credits without a credit price) or {@code tokens} (tokens
 * of a model without a tokens price)
 * @param model the model of unpriced tokens; null for credits
 * @param from the start of the earliest unpriced usage's 15-minute bucket (its own time
 * at a window's cut edge)
 * @param until when a price of its kind (and model) takes effect after the latest
 * unpriced usage; null when none does
 */
record Unpriced(@Schema(example = "tokens") String kind, @Schema(nullable = true) String model, Instant from,
		@Schema(nullable = true) Instant until) {
}
