package io.qoderevents.usage;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The counters and cost over every group of a report, not only one page.
 *
 * @param usage the counters
 * @param turns turns completed
 * @param cost the priced usage in the report's currency; null when none of it is priced
 */
record UsageTotals(@JsonUnwrapped UsageCounters usage, long turns,
		@Schema(type = "number", nullable = true) @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal cost) {

	static final UsageTotals ZERO = new UsageTotals(UsageCounters.ZERO, 0, BigDecimal.ZERO);

}
