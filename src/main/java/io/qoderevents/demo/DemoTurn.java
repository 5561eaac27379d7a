package io.qoderevents.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import tools.jackson.databind.node.ObjectNode;

/**
 * The events of one turn in list order: envelope fields of the session's shape,
 * increasing timestamps of varied precision.
 */
final class DemoTurn {

	private final Random random;

	private final String sessionId;

	private final String turnId;

	private final List<String> events = new ArrayList<>();

	private final UpstreamShape shape;

	private Instant last;

	DemoTurn(Random random, String sessionId, Instant start, UpstreamShape shape) {
		this.random = random;
		this.sessionId = sessionId;
		this.shape = shape;
		this.turnId = DemoIds.turnId(start, random);
		this.last = start;
	}

	/** Append an event of this type with these specific fields and return its id. */
	String add(String type, Consumer<ObjectNode> fields) {
		String createdAt = stamp(150);
		String id = DemoIds.eventId(this.last, this.random);
		ObjectNode event = Json.object().put("id", id).put("type", type);
		fields.accept(event);
		if (this.shape == UpstreamShape.TODAY) {
			return addToday(id, type, event, createdAt);
		}
		String processedAt = (this.random.nextInt(5) == 0) ? stamp(10) : createdAt;
		int envelope = this.random.nextInt(100);
		if (envelope < 3) {
			if (this.random.nextBoolean()) {
				event.put("session_thread_id", "sthr_" + DemoIds.uuid4(this.random));
			}
			event.put("processed_at", processedAt);
		}
		else {
			event.put("session_id", this.sessionId).put("turn_id", this.turnId).put("schema_version", "1.0");
			if (envelope >= 6) {
				event.put("created_at", createdAt);
			}
			if (envelope < 6 || envelope >= 9) {
				event.put("processed_at", processedAt);
			}
		}
		if (this.random.nextInt(20) == 0) {
			event.putObject("x_trace").put("region", "cn-hangzhou").put("attempt", 1 + this.random.nextInt(3));
		}
		this.events.add(Json.write(event));
		return id;
	}

	/**
	 * Today's envelope: {@code processed_at} only, missing on thinking and on a quarter
	 * of the rest; a few events of a sub-agent thread.
	 */
	private String addToday(String id, String type, ObjectNode event, String at) {
		if (!type.equals("agent.thinking") && this.random.nextInt(4) != 0) {
			event.put("processed_at", at);
		}
		if (type.startsWith("agent.") && this.random.nextInt(30) == 0) {
			event.put("session_thread_id", "sthr_" + DemoIds.uuid4(this.random)).put("agent_name", "reviewer");
		}
		this.events.add(Json.write(event));
		return id;
	}

	List<String> events() {
		return List.copyOf(this.events);
	}

	Instant last() {
		return this.last;
	}

	private String stamp(int maxGapMillis) {
		int digits = digits();
		this.last = DemoIds.ceil(this.last.plusNanos(this.random.nextInt(maxGapMillis * 1_000_000)), digits);
		return DemoIds.format(this.last, digits);
	}

	private int digits() {
		int choice = this.random.nextInt(10);
		return (choice < 4) ? 9 : (choice < 7) ? 3 : (choice < 8) ? 6 : (choice < 9) ? 0 : 1 + this.random.nextInt(8);
	}

}
