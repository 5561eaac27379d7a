package io.qoderevents.usage;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Usage added up over a group of events: one row of a rollup, or its totals (without a
 * key).
 *
 * @param key the session id, the bucket's start with the zone's offset, or the model;
 * absent in totals
 * @param usage the group's counters
 * @param turns turns completed in the group
 * @param billedCredits on session rows, the session's last {@code usage.total_credits}
 * snapshot; absent elsewhere
 */
record UsageRow(
		@Schema(description = "The session id, the bucket start as RFC 3339 with the zone's offset, or the model",
				example = "2026-05-18T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String key,
		@JsonUnwrapped UsageCounters usage, long turns,
		@Schema(type = "number", nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal billedCredits) {

	UsageRow keyed(String newKey) {
		return new UsageRow(newKey, this.usage, this.turns, this.billedCredits);
	}

}
