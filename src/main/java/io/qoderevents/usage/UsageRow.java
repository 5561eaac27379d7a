package io.qoderevents.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Token usage added up over a group of turns: one row of a rollup, or its totals (without
 * a key).
 *
 * @param key the session id, or the bucket's start with the zone's offset; absent in
 * totals
 * @param inputTokens input tokens, cached tokens excluded
 * @param outputTokens output tokens
 * @param cacheReadInputTokens input tokens read from the prompt cache
 * @param cacheCreationInputTokens input tokens written to the prompt cache
 * @param totalTokens all four counters added
 * @param turns distinct turns with usage
 */
record UsageRow(
		@Schema(description = "The session id, or the bucket start as RFC 3339 with the zone's offset",
				example = "2026-05-18T00:00:00+08:00") @JsonInclude(JsonInclude.Include.NON_NULL) String key,
		long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens,
		@Schema(description = "input + output + cache read + cache creation") long totalTokens, long turns) {

	static UsageRow of(String key, long input, long output, long cacheRead, long cacheCreation, long turns) {
		return new UsageRow(key, input, output, cacheRead, cacheCreation, input + output + cacheRead + cacheCreation,
				turns);
	}

}
