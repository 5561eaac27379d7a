package io.qoderevents.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One session's usage.
 *
 * @param sessionId the session
 * @param usage the counters of every stored event of the session
 * @param cost the priced usage in {@code currency}, null when none of it is priced
 * @param billedCredits the upstream's own cumulative {@code usage.total_credits} at its
 * last read (a snapshot, the authoritative figure), or null before the first read
 * @param billedCreditsAt when that snapshot was read, or null
 * @param billedCost the billed credits at the credit price in effect when they were read,
 * or null
 * @param currency the ISO 4217 code of every cost
 * @param model the session's model as the upstream last reported it, or null
 * @param turns completed turns
 * @param firstEventAt event time of the session's first stored event, or null
 * @param lastEventAt event time of the session's last stored event, or null
 * @param byTurn usage per turn, in order of completion
 * @param unpriced the session's usage with no price in effect
 */
record SessionUsage(String sessionId, @JsonUnwrapped UsageCounters usage,
		@Schema(type = "number", nullable = true, example = "0.3456") BigDecimal cost,
		@Schema(type = "number", nullable = true, example = "9.1") BigDecimal billedCredits,
		@Schema(nullable = true) Instant billedCreditsAt,
		@Schema(type = "number", nullable = true, example = "0.364") BigDecimal billedCost,
		@Schema(example = "USD") String currency, @Schema(nullable = true, example = "ultimate") String model,
		long turns, @Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
		List<TurnUsage> byTurn, List<Unpriced> unpriced) {

}
