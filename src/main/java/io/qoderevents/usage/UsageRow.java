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
 * @param sessionId on session rows, the session id (the key)
 * @param bucketStart on day and hour rows, the bucket's first instant with the zone's
 * offset (the key)
 * @param bucketEnd on day and hour rows, the instant after the bucket (the next bucket's
 * start)
 * @param usage the group's counters
 * @param turns turns completed in the group
 * @param billedCredits on session rows, the session's last {@code usage.total_credits}
 * snapshot; absent elsewhere
 */
record UsageRow(
		@Schema(description = "The session id, the bucket start as RFC 3339 with the zone's offset, or the model",
				example = "2026-05-18T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String key,
		@Schema(description = "Only when grouping by session: the session id") @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId,
		@Schema(description = "Only when grouping by day or hour: the bucket's start, RFC 3339 with the zone's offset",
				example = "2026-05-18T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String bucketStart,
		@Schema(description = "Only when grouping by day or hour: the end of the bucket (exclusive), the next one's start",
				example = "2026-05-19T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String bucketEnd,
		@JsonUnwrapped UsageCounters usage, long turns,
		@Schema(type = "number", nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal billedCredits) {

	/** A row keyed by a model, or the totals (without a key). */
	UsageRow(String key, UsageCounters usage, long turns, BigDecimal billedCredits) {
		this(key, null, null, null, usage, turns, billedCredits);
	}

	/** The row as a session's: keyed by the session id. */
	UsageRow ofSession() {
		return new UsageRow(this.key, this.key, null, null, this.usage, this.turns, this.billedCredits);
	}

	/** The row as a bucket's, keyed by its start. */
	UsageRow ofBucket(String start, String end) {
		return new UsageRow(start, null, start, end, this.usage, this.turns, this.billedCredits);
	}

}
