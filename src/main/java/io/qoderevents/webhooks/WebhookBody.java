package io.qoderevents.webhooks;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The JSON of an upstream webhook: it names a session and carries no events.
 *
 * @param type {@code event}
 * @param id the delivery's id, {@code whe_…}
 * @param createdAt when the upstream raised it
 * @param data what it is about
 */
@Schema(description = "An upstream webhook; it names a session and carries no events")
record WebhookBody(@Schema(example = "event") String type, @Schema(example = "whe_01") String id,
		@Schema(example = "2026-12-02T00:00:00Z") String createdAt, Subject data) {

	/**
	 * The object a webhook is about.
	 *
	 * @param type {@code session} for a session event
	 * @param id the session id
	 */
	record Subject(@Schema(example = "session") String type,
			@Schema(example = "sess_0123456789abcdef0123456789abcdef") String id) {
	}

}
