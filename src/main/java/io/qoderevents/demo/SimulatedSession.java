package io.qoderevents.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One simulated session and its events as appended. Guarded by its
 * {@link SimulatedQoder}.
 */
final class SimulatedSession {

	private static final Set<String> TERMINAL_TYPES = Set.of("terminated", "session.status_terminated",
			"session.deleted");

	private final String id;

	private final Instant createdAt;

	private final List<PageQuery.Item> events = new ArrayList<>();

	private Instant updatedAt;

	private String status = "idle";

	SimulatedSession(String id, Instant createdAt) {
		this.id = id;
		this.createdAt = createdAt;
		this.updatedAt = createdAt;
	}

	void append(String eventJson, Instant now) {
		this.events.add(new PageQuery.Item(Json.field(eventJson, "id"), eventJson));
		String type = Json.field(eventJson, "type");
		if (type != null && !this.status.equals("terminated")) {
			this.status = TERMINAL_TYPES.contains(type) ? "terminated"
					: type.equals("session.status_idle") ? "idle" : "running";
		}
		this.updatedAt = now;
	}

	List<PageQuery.Item> events() {
		return List.copyOf(this.events);
	}

	PageQuery.Item item() {
		var json = Json.object()
			.put("id", this.id)
			.put("status", this.status)
			.put("created_at", this.createdAt.toString())
			.put("updated_at", this.updatedAt.toString());
		return new PageQuery.Item(this.id, Json.write(json));
	}

}
