package io.qoderevents;

import java.time.Instant;
import java.util.List;

/**
 * Upstream events in today's shape (since about August 2026): only {@code id},
 * {@code type} and often {@code processed_at}; no turn ids, no tokens; credits on model
 * spans; turns that pause for a confirmation.
 */
public final class TodayEvents {

	private static final Instant START = Instant.parse("2026-11-30T09:00:00.123Z");

	private TodayEvents() {
	}

	/**
	 * A turn that pauses once for a tool confirmation, split after the pause: 4.05
	 * credits in two model calls.
	 */
	public static List<List<String>> pausedTurn() {
		return List.of(
				List.of(running("evt_r1", at(0)), userMessage("evt_m1", at(1)), thinking("evt_k1"),
						spanStart("evt_s1", at(2)), spanEnd("evt_e1", "evt_s1", at(3), credits("1.25")),
						toolUse("evt_t1", at(4)), idle("evt_i1", at(5), requiresAction("evt_t1"))),
				List.of(toolConfirmation("evt_c1", "evt_t1", at(6)), running("evt_r2", at(7)),
						spanStart("evt_s2", at(8)), spanEnd("evt_e2", "evt_s2", at(9), credits("2.8")),
						agentMessage("evt_a1", at(10)), idle("evt_i2", at(11), endTurn())));
	}

	/** The time {@code seconds} after a fixed start, as the upstream writes it. */
	public static String at(int seconds) {
		return START.plusSeconds(seconds).toString();
	}

	public static String running(String id, String at) {
		return """
				{"id":"%s","type":"session.status_running","processed_at":"%s"}""".formatted(id, at);
	}

	public static String userMessage(String id, String at) {
		return """
				{"id":"%s","type":"user.message","processed_at":"%s",\
				"content":[{"type":"text","text":"Fix the failing build"}]}""".formatted(id, at);
	}

	/** Agent thinking: no timestamp at all, as the upstream often sends it. */
	public static String thinking(String id) {
		return """
				{"id":"%s","type":"agent.thinking"}""".formatted(id);
	}

	public static String spanStart(String id, String at) {
		return """
				{"id":"%s","type":"span.model_request_start","processed_at":"%s"}""".formatted(id, at);
	}

	/**
	 * A model call's end.
	 * @param modelUsage the {@code model_usage} JSON, or null to omit it
	 */
	public static String spanEnd(String id, String startId, String at, String modelUsage) {
		return """
				{"id":"%s","type":"span.model_request_end","processed_at":"%s","is_error":false,\
				"model_request_start_id":"%s"%s}""".formatted(id, at, startId,
				(modelUsage != null) ? ",\"model_usage\":" + modelUsage : "");
	}

	public static String credits(String credits) {
		return "{\"credits\":" + credits + "}";
	}

	public static String agentMessage(String id, String at) {
		return """
				{"id":"%s","type":"agent.message","processed_at":"%s",\
				"content":[{"type":"text","text":"Done."}]}""".formatted(id, at);
	}

	/** An idle event; {@code stopReason} is the JSON of {@code stop_reason}. */
	public static String idle(String id, String at, String stopReason) {
		return """
				{"id":"%s","type":"session.status_idle","processed_at":"%s","stop_reason":%s}""".formatted(id, at,
				stopReason);
	}

	public static String endTurn() {
		return "{\"type\":\"end_turn\"}";
	}

	public static String requiresAction(String toolUseId) {
		return "{\"type\":\"requires_action\",\"event_ids\":[\"" + toolUseId + "\"]}";
	}

	public static String toolUse(String id, String at) {
		return """
				{"id":"%s","type":"agent.tool_use","processed_at":"%s","name":"bash","input":{"command":"ls"}}"""
			.formatted(id, at);
	}

	public static String toolConfirmation(String id, String toolUseId, String at) {
		return """
				{"id":"%s","type":"user.tool_confirmation","processed_at":"%s","tool_use_id":"%s","result":"allow"}"""
			.formatted(id, at, toolUseId);
	}

	/** An event of a sub-agent thread. */
	public static String onThread(String event, String threadId) {
		return event.substring(0, event.length() - 1) + ",\"session_thread_id\":\"" + threadId
				+ "\",\"agent_name\":\"reviewer\"}";
	}

	public static String terminated(String id, String at) {
		return """
				{"id":"%s","type":"session.status_terminated","processed_at":"%s"}""".formatted(id, at);
	}

}
