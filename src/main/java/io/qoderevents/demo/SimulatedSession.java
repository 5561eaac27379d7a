package io.qoderevents.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One simulated session and its events as appended, and the session object the upstream
 * serves for it: status, {@code updated_at}, model and a cumulative credits total a
 * little above the sum of its model calls' credits, as the real one is. Guarded by its
 * {@link SimulatedQoder}.
 */
final class SimulatedSession {

	private static final Pattern ID = Pattern.compile("sess_[0-9a-f]{32}|ses_[0-9a-fA-F]{32}");

	private static final Set<String> TERMINAL_TYPES = Set.of("terminated", "session.status_terminated",
			"session.deleted");

	private final String id;

	private final Instant createdAt;

	private final List<PageQuery.Item> events = new ArrayList<>();

	private Instant updatedAt;

	private final UpstreamShape shape;

	private String status = "idle";

	private Instant archivedAt;

	private BigDecimal spanCredits = BigDecimal.ZERO;

	private ObjectNode fields;

	SimulatedSession(String id, Instant createdAt, UpstreamShape shape) {
		this.id = id;
		this.createdAt = createdAt;
		this.updatedAt = createdAt;
		this.shape = shape;
	}

	/** Whether the simulator takes this as a session id (legacy ids in either case). */
	static boolean isValidId(String sessionId) {
		return ID.matcher(sessionId).matches();
	}

	void append(String eventJson, Instant now) {
		this.events.add(new PageQuery.Item(Json.field(eventJson, "id"), eventJson));
		JsonNode event = Json.tree(eventJson);
		JsonNode credits = (event != null) ? event.path("model_usage").get("credits") : null;
		if (credits != null && credits.isNumber()) {
			this.spanCredits = this.spanCredits.add(credits.decimalValue());
		}
		String type = Json.field(eventJson, "type");
		if (type != null && (!this.status.equals("terminated") || type.equals("session.status_running"))) {
			this.status = TERMINAL_TYPES.contains(type) ? "terminated"
					: type.equals("session.status_idle") ? "idle" : "running";
		}
		this.updatedAt = now;
	}

	String status() {
		return this.status;
	}

	void status(String status, Instant now) {
		this.status = status;
		this.updatedAt = now;
	}

	boolean archived() {
		return this.archivedAt != null;
	}

	void archive(Instant now) {
		this.archivedAt = now;
		this.updatedAt = now;
	}

	/**
	 * Top-level fields the session object serves instead of (or beside) the defaults,
	 * e.g. {@code agent}, {@code environment_id} or {@code metadata}.
	 */
	void fields(String fieldsJson, Instant now) {
		if (!(Json.tree(fieldsJson) instanceof ObjectNode object)) {
			throw new IllegalArgumentException("Not a JSON object: " + fieldsJson);
		}
		this.fields = object;
		this.updatedAt = now;
	}

	List<PageQuery.Item> events() {
		return List.copyOf(this.events);
	}

	/**
	 * The session object, as {@code GET /sessions/{id}} and the session list serve it.
	 */
	PageQuery.Item item() {
		ObjectNode json = Json.object()
			.put("id", this.id)
			.put("type", "session")
			.put("status", this.status)
			.put("title", "Demo session " + this.id.substring(this.id.length() - 4));
		ObjectNode agent = json.putObject("agent").put("id", "agt_demo").put("name", "demo agent");
		if (this.shape == UpstreamShape.TODAY) {
			agent.putObject("model").put("id", "ultimate").put("effective_context_window", 200000);
		}
		else {
			agent.put("model", "qwen3-coder");
		}
		json.putObject("metadata");
		json.put("created_at", this.createdAt.toString()).put("updated_at", this.updatedAt.toString());
		if (this.archivedAt != null) {
			json.put("archived_at", this.archivedAt.toString());
		}
		else {
			json.putNull("archived_at");
		}
		long seconds = Duration.between(this.createdAt, this.updatedAt).toSeconds();
		json.putObject("stats").put("active_seconds", seconds * 3 / 4).put("duration_seconds", seconds);
		ObjectNode usage = json.putObject("usage");
		if (this.spanCredits.signum() > 0) {
			usage.put("total_credits", billed(this.spanCredits));
		}
		if (this.fields != null) {
			json.setAll(this.fields);
		}
		return new PageQuery.Item(this.id, Json.write(json));
	}

	/** What the upstream bills: a little more than its model calls, floored to cents. */
	static BigDecimal billed(BigDecimal spanCredits) {
		return spanCredits.multiply(new BigDecimal("1.1")).add(new BigDecimal("0.05")).setScale(2, RoundingMode.FLOOR);
	}

}
