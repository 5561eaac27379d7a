package io.qoderevents.usage;

import java.util.List;

import io.qoderevents.web.PageParameters;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Token usage",
		description = "Credits of model calls and token counts of turns, per session, turn, bucket and model")
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
class UsageController {

	private final UsageService usage;

	UsageController(UsageService usage) {
		this.usage = usage;
	}

	@Operation(operationId = "getSessionUsage", summary = "One session's usage",
			description = "Totals and a per-turn breakdown in order of completion. credits is the exact sum of the "
					+ "model calls' credits; billed_credits the upstream's own cumulative total at its last read. "
					+ "total_tokens = input + output + cache read + cache creation. since and until keep the usage of "
					+ "events in that window (billed_credits stays the session's whole total). 404 when the session "
					+ "is neither tracked nor has events.")
	@GetMapping("/sessions/{session_id}/usage")
	SessionUsage session(@Parameter(description = "The session id") @PathVariable("session_id") String sessionId,
			@Parameter(description = "Usage of events on or after this RFC 3339 timestamp") @RequestParam(
					required = false) String since,
			@Parameter(description = "Usage of events before this RFC 3339 timestamp") @RequestParam(
					required = false) String until) {
		SessionIdParameter.require(sessionId);
		return this.usage.session(sessionId, TimeRange.of(since, until));
	}

	@Operation(operationId = "getUsage", summary = "Usage rolled up by session, day, hour or model",
			description = "Rows ordered by key (session id, bucket start, or model). Day and hour buckets are cut in tz and "
					+ "keyed by their start with the zone's offset (bucket_start, bucket_end); session rows also carry "
					+ "session_id. totals cover every row, not only the page.")
	@GetMapping("/usage")
	UsageReport rollup(
			@Parameter(description = "Grouping",
					schema = @Schema(allowableValues = { "session", "day", "hour", "model" },
							defaultValue = "session")) @RequestParam(name = "group_by",
									required = false) String groupBy,
			@Parameter(description = "Usage of events on or after this RFC 3339 timestamp") @RequestParam(
					required = false) String since,
			@Parameter(description = "Usage of events before this RFC 3339 timestamp") @RequestParam(
					required = false) String until,
			@Parameter(description = "Only these sessions (repeatable)") @RequestParam(name = "session_id",
					required = false) List<String> sessionIds,
			@Parameter(description = "IANA time zone the day and hour buckets are cut in", example = "Asia/Shanghai",
					schema = @Schema(defaultValue = "UTC")) @RequestParam(required = false) String tz,
			@ParameterObject @Valid PageParameters page) {
		return this.usage.rollup(UsageFilter.of(groupBy, since, until, sessionIds, tz), page.limit(), page.cursor());
	}

}
