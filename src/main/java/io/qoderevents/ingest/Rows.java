package io.qoderevents.ingest;

import java.time.OffsetDateTime;

/** The rows one page writes, in the shapes of their tables. */
final class Rows {

	private Rows() {
	}

	record EventRow(String id, String sessionId, long sequence, String type, String turnId, OffsetDateTime createdAt,
			OffsetDateTime processedAt, OffsetDateTime eventTime, String payload) {
	}

	record UsageRow(String eventId, String sessionId, String turnId, long sequence, OffsetDateTime completedAt,
			long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens,
			String stopReason, boolean countsTurn) {
	}

	record RollupRow(OffsetDateTime bucket, long inputTokens, long outputTokens, long cacheReadInputTokens,
			long cacheCreationInputTokens, long turns) {
	}

	record ErrorRow(String eventId, String sessionId, String turnId, OffsetDateTime createdAt, String errorType,
			String message, String messagePattern, String detailsName, String detailsMessage, String retryStatus) {
	}

	record QuarantineRow(String sessionId, String eventId, String reason, String raw, String fingerprint) {
	}

}
