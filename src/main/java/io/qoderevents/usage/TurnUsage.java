package io.qoderevents.usage;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The usage of one turn: its idle events' tokens (else its spans' tokens), its model
 * calls and their credits.
 *
 * @param turnId the upstream {@code turn_id}, else the id of the {@code user.message}
 * that opened the turn; null for an idle event outside any turn, or model calls before
 * the first turn
 * @param usage the turn's counters
 * @param cost the turn's priced usage in the report's currency, null when none of it is
 * priced
 * @param pauses {@code requires_action} idle events inside the turn
 * @param stopReason the stop reason of the event that ended the turn, or null
 * @param startedAt event time of the turn's first event, or null
 * @param completedAt event time of the event that (last) ended the turn, or null while it
 * is open
 */
record TurnUsage(@Schema(nullable = true) String turnId, @JsonUnwrapped UsageCounters usage,
		@Schema(type = "number", nullable = true,
				example = "0.3456") @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal cost,
		long pauses, @Schema(example = "end_turn", nullable = true) String stopReason,
		@Schema(nullable = true) @JsonSerialize(using = IsoInstantSerializer.class) Instant startedAt,
		@Schema(nullable = true) @JsonSerialize(using = IsoInstantSerializer.class) Instant completedAt) {

	/** The turn with its cost. */
	TurnUsage withCost(BigDecimal cost) {
		return new TurnUsage(this.turnId, this.usage, cost, this.pauses, this.stopReason, this.startedAt,
				this.completedAt);
	}

}
