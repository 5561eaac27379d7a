package io.qoderevents.usage;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One session's token usage.
 *
 * @param sessionId the session
 * @param inputTokens input tokens, cached tokens excluded
 * @param outputTokens output tokens
 * @param cacheReadInputTokens input tokens read from the prompt cache
 * @param cacheCreationInputTokens input tokens written to the prompt cache
 * @param totalTokens all four counters added
 * @param turns turns with usage
 * @param firstEventAt event time of the session's first stored event, or null
 * @param lastEventAt event time of the session's last stored event, or null
 * @param byTurn usage per turn, in order of completion
 */
record SessionUsage(String sessionId, long inputTokens, long outputTokens, long cacheReadInputTokens,
		long cacheCreationInputTokens,
		@Schema(description = "input + output + cache read + cache creation") long totalTokens, long turns,
		@Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
		List<TurnUsage> byTurn) {

	static SessionUsage of(String sessionId, Instant firstEventAt, Instant lastEventAt, List<TurnUsage> byTurn) {
		long input = byTurn.stream().mapToLong(TurnUsage::inputTokens).sum();
		long output = byTurn.stream().mapToLong(TurnUsage::outputTokens).sum();
		long cacheRead = byTurn.stream().mapToLong(TurnUsage::cacheReadInputTokens).sum();
		long cacheCreation = byTurn.stream().mapToLong(TurnUsage::cacheCreationInputTokens).sum();
		return new SessionUsage(sessionId, input, output, cacheRead, cacheCreation,
				input + output + cacheRead + cacheCreation, byTurn.size(), firstEventAt, lastEventAt, byTurn);
	}

}
