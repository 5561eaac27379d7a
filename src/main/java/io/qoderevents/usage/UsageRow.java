package io.qoderevents.usage;

import java.math.BigDecimal;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Usage added up over a group of usage: one row of a report.
 *
 * @param key the session id, the model, the agent id, the environment id or the metadata
 * value (null for sessions without it); without an attribute, the bucket's start with the
 * zone's offset
 * @param sessionId on session rows, the session id (the key)
 * @param bucketStart on bucketed rows, the bucket's first instant with the zone's offset
 * @param bucketEnd on bucketed rows, the instant after the bucket (the next bucket's
 * start)
 * @param usage the group's counters
 * @param turns turns completed in the group
 * @param cost the group's priced usage in the report's currency; null when none of it is
 * priced
 * @param billedCredits on session rows, the session's last {@code usage.total_credits}
 * snapshot, empty (null) when the window cuts the session's usage; absent elsewhere
 */
record UsageRow(
		@Schema(description = "The attribute's value (null for sessions without it), or without an attribute the "
				+ "bucket start as RFC 3339 with the zone's offset", nullable = true,
				example = "payments") @JsonInclude(JsonInclude.Include.ALWAYS) String key,
		@Schema(description = "Only when grouping by session: the session id") @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId,
		@Schema(description = "Only when grouping by day or hour: the bucket's start, RFC 3339 with the zone's offset",
				example = "2026-05-18T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String bucketStart,
		@Schema(description = "Only when grouping by day or hour: the end of the bucket (exclusive), the next one's start",
				example = "2026-05-19T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String bucketEnd,
		@JsonUnwrapped UsageCounters usage, long turns,
		@Schema(type = "number", nullable = true,
				example = "16.494") @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal cost,
		@Schema(type = "number", nullable = true,
				description = "Only when grouping by session: null when the window cuts the session's usage") @JsonInclude(JsonInclude.Include.NON_NULL) Optional<BigDecimal> billedCredits) {

	/** A row keyed by an attribute. */
	static UsageRow of(String key, UsageCounters usage, long turns, BigDecimal cost) {
		return new UsageRow(key, null, null, null, usage, turns, cost, null);
	}

	/** The row as a session's: keyed by the session id, with what the upstream billed. */
	UsageRow ofSession(BigDecimal billed) {
		return new UsageRow(this.key, this.key, null, null, this.usage, this.turns, this.cost,
				Optional.ofNullable(billed));
	}

	/** The row in a bucket; keyed by the bucket's start when the row has no attribute. */
	UsageRow inBucket(String start, String end, boolean keyedByBucket) {
		return new UsageRow(keyedByBucket ? start : this.key, null, start, end, this.usage, this.turns, this.cost,
				null);
	}

}
