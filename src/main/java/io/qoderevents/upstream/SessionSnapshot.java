package io.qoderevents.upstream;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

/**
 * What the upstream says about a session itself ({@code GET /sessions/{id}}, or an
 * element of the session list): a snapshot, to overwrite and never add up.
 *
 * @param sessionId the session
 * @param status {@code idle}, {@code running}, {@code rescheduling}, {@code terminated}
 * (older: {@code processing}, {@code cancelled}, {@code archived}), or null
 * @param title the session's title, or null
 * @param model {@code agent.model} as a string, or its {@code id} when it is an object
 * @param totalCredits {@code usage.total_credits}, the session's cumulative credits, or
 * null without usage
 * @param activeSeconds {@code stats.active_seconds}, or null
 * @param updatedAt {@code updated_at}, or null
 * @param archived whether the session is archived ({@code archived_at} set, or the older
 * {@code archived} status)
 * @param attribution the session's agent, environment and metadata
 */
public record SessionSnapshot(String sessionId, String status, String title, String model, BigDecimal totalCredits,
		Long activeSeconds, OffsetDateTime updatedAt, boolean archived, SessionAttribution attribution) {

	/** Reads a Session object, tolerating every variant the upstream has shipped. */
	static SessionSnapshot of(JsonNode session) {
		JsonNode agent = session.get("agent");
		JsonNode model = (agent != null && agent.isObject()) ? agent.get("model") : null;
		String modelId = (model != null && model.isString()) ? model.asString() : UpstreamEvent.text(model, "id");
		BigDecimal total = UpstreamEvent.decimal(session.get("usage"), "total_credits");
		JsonNode active = session.path("stats").get("active_seconds");
		Long activeSeconds = (active != null && active.isNumber()) ? active.asLong() : null;
		String status = UpstreamEvent.text(session, "status");
		boolean archived = UpstreamEvent.text(session, "archived_at") != null || "archived".equals(status);
		return new SessionSnapshot(UpstreamEvent.text(session, "id"), status, UpstreamEvent.text(session, "title"),
				modelId, total, activeSeconds, timestamp(UpstreamEvent.text(session, "updated_at")), archived,
				SessionAttribution.of(session));
	}

	private static OffsetDateTime timestamp(String text) {
		try {
			return (text != null) ? OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
