package io.qoderevents.usage;

import java.util.List;

import io.qoderevents.web.PageParameters;
import io.qoderevents.web.PrefixedParameters;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.util.MultiValueMap;
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
					+ "events in that window (billed_credits stays the session's whole total). cost prices each usage row at "
					+ "the prices in effect at its time; billed_cost the billed credits at the credit price when read. 404 when the session "
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

	@Operation(operationId = "getUsage",
			summary = "Usage and cost by session, model, agent, environment, metadata or time",
			description = "group_by is one of session, model, agent, environment, metadata.<key>, day, hour, or day or "
					+ "hour and one of the others (day,metadata.team). Rows ordered by bucket, then key (null keys, "
					+ "sessions without the attribute, last). Day and hour buckets are cut in tz (bucket_start, "
					+ "bucket_end). Every row and the totals carry cost, priced at the prices in effect at each unit's "
					+ "time; unpriced lists usage without a price. Filters metadata.<key>=<value> (repeatable for "
					+ "several keys, all must match) beside agent_id and environment_id. Session rows carry "
					+ "billed_credits, null when since or until cut the session's usage. totals cover every row.")
	@GetMapping("/usage")
	UsageReport rollup(
			@Parameter(description = "Grouping",
					schema = @Schema(example = "day,metadata.team", defaultValue = "session")) @RequestParam(
							name = "group_by", required = false) String groupBy,
			@Parameter(description = "Usage of events on or after this RFC 3339 timestamp") @RequestParam(
					required = false) String since,
			@Parameter(description = "Usage of events before this RFC 3339 timestamp") @RequestParam(
					required = false) String until,
			@Parameter(description = "Only these sessions (repeatable)") @RequestParam(name = "session_id",
					required = false) List<String> sessionIds,
			@Parameter(description = "IANA time zone the day and hour buckets are cut in", example = "Asia/Shanghai",
					schema = @Schema(defaultValue = "UTC")) @RequestParam(required = false) String tz,
			@Parameter(description = "Only sessions of this agent (their latest snapshot's)") @RequestParam(
					name = "agent_id", required = false) String agentId,
			@Parameter(description = "Only sessions in this environment (their latest snapshot's)") @RequestParam(
					name = "environment_id", required = false) String environmentId,
			@ParameterObject @Valid PageParameters page, @Parameter(
					hidden = true) @PrefixedParameters("metadata.") @RequestParam MultiValueMap<String, String> parameters) {
		return this.usage.rollup(
				UsageFilter.of(groupBy, since, until, sessionIds, tz, agentId, environmentId, parameters), page.limit(),
				page.cursor());
	}

}
