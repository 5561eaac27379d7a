package io.qoderevents.tracking;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the upstream last said about a tracked session itself.
 *
 * @param status the upstream status: idle, running, rescheduling, terminated (older:
 * processing, cancelled, archived)
 * @param title the session's title
 * @param model the session's model ({@code agent.model}, or its id)
 * @param totalCredits the upstream's cumulative credits of the session
 * @param activeSeconds seconds the session was active
 * @param updatedAt the upstream's {@code updated_at}
 * @param readAt when this service read the snapshot
 * @param agentId the session's agent ({@code agent.id}, or the older {@code agent_id})
 * @param agentName the agent's name
 * @param agentVersion the agent's version, as text
 * @param environmentId the environment the session runs in
 * @param metadata the session's free key-value object as the upstream last gave it, or
 * null without one
 */
public record Snapshot(@Schema(nullable = true, example = "idle") String status, @Schema(nullable = true) String title,
		@Schema(nullable = true, example = "ultimate") String model,
		@Schema(type = "number", nullable = true, example = "4.63") BigDecimal totalCredits,
		@Schema(nullable = true) Long activeSeconds, @Schema(nullable = true) Instant updatedAt, Instant readAt,
		@Schema(nullable = true, example = "agent_011CZ") String agentId,
		@Schema(nullable = true, example = "reviewer") String agentName,
		@Schema(nullable = true, example = "3") String agentVersion,
		@Schema(nullable = true, example = "env_011CZ") String environmentId,
		@Schema(nullable = true, example = "{\"team\": \"payments\"}") Map<String, Object> metadata) {
}
