package io.qoderevents.usage;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of a usage rollup.
 *
 * @param data the rows, ordered by key
 * @param nextCursor the cursor of the next page, or null on the last page
 * @param totals the counters over every row of the rollup, not only this page
 * @param tz the time zone the buckets are cut in
 */
record UsageReport(List<UsageRow> data, @Schema(nullable = true) String nextCursor, UsageRow totals,
		@Schema(example = "UTC") String tz) {
}
