package io.qoderevents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Upstream events as JSON text, shaped like the vendor's examples. */
public final class TestEvents {

	private static final Instant START = Instant.parse("2026-05-18T03:40:48.888851795Z");

	private TestEvents() {
	}

	public static String sessionId() {
		return "sess_" + hex(16);
	}

	public static String turnId() {
		return "turn_" + hex(16);
	}

	/** An event id whose string order is random, as the upstream's are. */
	public static String eventId() {
		return "evt_" + hex(16);
	}

	/** {@code count} plain events of a session, one second apart. */
	public static List<String> events(String sessionId, int count) {
		List<String> events = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			events.add(message(sessionId, eventId(), START.plusSeconds(i)));
		}
		return events;
	}

	public static String message(String sessionId, String id, Instant at) {
		return """
				{"id":"%s","type":"user.message","content":"Hello, this is a test message.","session_id":"%s",\
				"turn_id":"turn_019e392c0d787ceea6bb62943f9ac3ec","schema_version":"1.0","created_at":"%s",\
				"processed_at":"%s"}""".formatted(id, sessionId, at, at);
	}

	public static String idle(String sessionId, String id, String turnId, String at, long input, long output,
			long cacheRead, long cacheCreation) {
		return """
				{"id":"%s","type":"session.status_idle","session_id":"%s","turn_id":"%s","created_at":"%s",\
				"status":"idle","usage":{"input_tokens":%d,"output_tokens":%d,"cache_read_input_tokens":%d,\
				"cache_creation_input_tokens":%d},"stop_reason":{"type":"end_turn"}}""".formatted(id, sessionId, turnId,
				at, input, output, cacheRead, cacheCreation);
	}

	public static String error(String sessionId, String id, String at, String type, String message,
			String retryStatus) {
		return """
				{"id":"%s","type":"session.error","session_id":"%s","created_at":"%s",\
				"error":{"message":"%s","type":"%s"},"details":{"message":"%s","name":"TimeoutError"},\
				"retry_status":{"type":"%s"}}""".formatted(id, sessionId, at, message, type, message, retryStatus);
	}

	public static String ofType(String sessionId, String id, String type, String at) {
		return """
				{"id":"%s","type":"%s","session_id":"%s","created_at":"%s"}""".formatted(id, type, sessionId, at);
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
