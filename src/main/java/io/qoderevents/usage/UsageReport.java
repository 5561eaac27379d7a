package io.qoderevents.usage;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of a usage report.
 *
 * @param groupBy the grouping, as {@code group_by} names it
 * @param tz the time zone the buckets are cut in
 * @param currency the ISO 4217 code of every cost
 * @param data the rows, ordered by bucket and then key (null keys last)
 * @param nextCursor the cursor of the next page, or null on the last page
 * @param totals the counters over every row of the report, not only this page
 * @param unpriced the usage of the report with no price in effect
 */
record UsageReport(@Schema(example = "day,metadata.team") String groupBy, @Schema(example = "UTC") String tz,
		@Schema(example = "USD") String currency, List<UsageRow> data, @Schema(nullable = true) String nextCursor,
		UsageTotals totals, List<Unpriced> unpriced) {
}
