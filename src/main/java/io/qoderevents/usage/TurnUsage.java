package io.qoderevents.usage;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The usage of one turn: the {@code session.status_idle} events of the turn added up.
 *
 * @param turnId the turn, or null when the idle event named none
 * @param inputTokens input tokens, cached tokens excluded
 * @param outputTokens output tokens
 * @param cacheReadInputTokens input tokens read from the prompt cache
 * @param cacheCreationInputTokens input tokens written to the prompt cache
 * @param totalTokens all four counters added
 * @param stopReason {@code stop_reason.type} of the turn's last idle event
 * @param completedAt event time of the turn's last idle event
 */
record TurnUsage(@Schema(nullable = true) String turnId, long inputTokens, long outputTokens, long cacheReadInputTokens,
		long cacheCreationInputTokens,
		@Schema(description = "input + output + cache read + cache creation") long totalTokens,
		@Schema(example = "end_turn", nullable = true) String stopReason, Instant completedAt) {

	static TurnUsage of(String turnId, long input, long output, long cacheRead, long cacheCreation, String stopReason,
			Instant completedAt) {
		return new TurnUsage(turnId, input, output, cacheRead, cacheCreation,
				input + output + cacheRead + cacheCreation, stopReason, completedAt);
	}

}
