package io.qoderevents.tracking;

import java.math.BigDecimal;
import java.time.Instant;

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
 */
public record Snapshot(@Schema(nullable = true, example = "idle") String status, @Schema(nullable = true) String title,
		@Schema(nullable = true, example = "ultimate") String model,
		@Schema(type = "number", nullable = true, example = "4.63") BigDecimal totalCredits,
		@Schema(nullable = true) Long activeSeconds, @Schema(nullable = true) Instant updatedAt, Instant readAt) {
}
