package io.qoderevents.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic upstream events of 0.5 to 2 KB, in turns shaped like the demo's, spread
 * over 30 days. Sessions of even number have the primary contract's shape (turn ids,
 * token usage on idle events), those of odd number today's ({@link TodayTurn}: no turn
 * ids, credits on model spans, paused turns, threads). Any event of any session is
 * computed on its own from the seed, so neither the simulated upstream nor the COPY
 * baseline keeps anything in memory. A session id carries its number and event count, an
 * event id its session and position.
 */
final class BenchEvents {

	/** The first instant of the 30 days every session's events span. */
	static final Instant START = Instant.parse("2026-10-27T00:00:00Z");

	static final Duration SPAN = Duration.ofDays(30);

	/**
	 * Events per turn, in both shapes: prompt, running, two model requests with a tool
	 * round, reply, idle (today's shape may pause for a confirmation in between).
	 */
	static final int TURN_LENGTH = 12;

	private static final Pattern SESSION_ID = Pattern.compile("sess_[0-9a-f]{16}([0-9a-f]{8})([0-9a-f]{8})");

	private static final Pattern EVENT_ID = Pattern.compile("evt_[0-9a-f]{16}([0-9a-f]{8})([0-9a-f]{8})");

	private static final HexFormat HEX = HexFormat.of();

	private static final String[] ERRORS = { "model_overloaded_error|Model is overloaded, retry in %d seconds",
			"model_rate_limited_error|Rate limit of %d requests per minute reached",
			"unknown_error|The operation was aborted due to timeout",
			"mcp_connection_failed_error|connect ECONNREFUSED 10.0.%d.7:8931",
			"model_request_failed_error|Model request failed with status 5%02d" };

	private static final String[] RETRY = { "retrying", "retrying", "retrying", "exhausted", "terminal" };

	private static final String[] TOOLS = { "read_file", "run_command", "search_code", "edit_file" };

	private final long seed;

	BenchEvents(long seed) {
		this.seed = seed;
	}

	/** The id of session {@code number} holding {@code eventCount} events. */
	String sessionId(int number, int eventCount) {
		return "sess_" + HEX.toHexDigits(mix(this.seed, number, -1)) + HEX.toHexDigits(number)
				+ HEX.toHexDigits(eventCount);
	}

	/** The session a {@link #sessionId} names, or null for any other id. */
	static Session session(String id) {
		Matcher matcher = SESSION_ID.matcher(id);
		if (!matcher.matches()) {
			return null;
		}
		return new Session(id, Integer.parseUnsignedInt(matcher.group(1), 16),
				Integer.parseUnsignedInt(matcher.group(2), 16));
	}

	/**
	 * The 0-based position of an event id in its session, or -1 when it is not an event
	 * of that session.
	 */
	static int position(Session session, String eventId) {
		Matcher matcher = EVENT_ID.matcher(eventId);
		if (!matcher.matches() || Integer.parseUnsignedInt(matcher.group(1), 16) != session.number()) {
			return -1;
		}
		int position = Integer.parseUnsignedInt(matcher.group(2), 16);
		return (position < session.eventCount()) ? position : -1;
	}

	/**
	 * The events at positions {@code from} (inclusive) to {@code to} (exclusive) of a
	 * session.
	 */
	List<Event> events(Session session, int from, int to) {
		List<Event> events = new ArrayList<>(to - from);
		int turn = -1;
		List<Event> turnEvents = null;
		for (int position = from; position < to; position++) {
			if (position / TURN_LENGTH != turn) {
				turn = position / TURN_LENGTH;
				turnEvents = turn(session, turn);
			}
			events.add(turnEvents.get(position % TURN_LENGTH));
		}
		return events;
	}

	/** Whether a session has today's shape rather than the primary contract's. */
	static boolean today(Session session) {
		return session.number() % 2 == 1;
	}

	/**
	 * The session's own object ({@code GET /sessions/{id}}): today's model object and
	 * {@code usage.total_credits} a little above its spans' credits, or for the primary
	 * contract's shape a model string and no credits.
	 */
	String sessionJson(Session session) {
		StringBuilder json = new StringBuilder(512).append("{\"id\":\"").append(session.id());
		json.append("\",\"type\":\"session\",\"status\":\"idle\",\"title\":\"Bench session ").append(session.number());
		json.append("\",\"agent\":{\"id\":\"agt_bench\",\"name\":\"bench\",\"model\":");
		json.append(today(session) ? "{\"id\":\"ultimate\",\"effective_context_window\":200000}" : "\"qoder-agent-1\"");
		json.append("},\"metadata\":{},\"created_at\":\"").append(START).append("\",\"updated_at\":\"");
		json.append(START.plus(SPAN)).append("\",\"archived_at\":null,\"stats\":{\"active_seconds\":");
		json.append(session.eventCount() * 3L).append(",\"duration_seconds\":").append(SPAN.toSeconds());
		json.append("},\"usage\":{");
		BigDecimal billed = today(session) ? TodayTurn.billedCredits(this.seed, session) : null;
		if (billed != null) {
			json.append("\"total_credits\":").append(billed.toPlainString());
		}
		return json.append("}}").toString();
	}

	private List<Event> turn(Session session, int turn) {
		SplittableRandom random = new SplittableRandom(mix(this.seed, session.number(), turn));
		int turns = Math.max(1, (session.eventCount() + TURN_LENGTH - 1) / TURN_LENGTH);
		long spacing = SPAN.toMillis() / turns;
		long step = Math.max(1, Math.min(3_000, spacing / (2 * TURN_LENGTH)));
		long at = START.toEpochMilli() + turn * spacing + random.nextLong(Math.max(1, spacing / 2));
		BenchTurn builder = new BenchTurn(session, turn, random, at, step, today(session));
		if (today(session)) {
			return TodayTurn.events(builder, random, TodayTurn.plan(this.seed, session, turn));
		}
		builder.add("user.message", (json) -> json.append(",\"content\":\"").append(builder.text()).append('"'));
		builder.add("session.status_running", (json) -> builder.metadata(json));
		String start = builder.add("span.model_request_start", (json) -> {
			json.append(",\"model\":\"qoder-agent-1\"");
			builder.metadata(json);
		});
		builder.add("agent.thinking",
				(json) -> json.append(",\"content\":[{\"type\":\"thinking\",\"thinking\":\"")
					.append(builder.text())
					.append("\"}]"));
		String tool = TOOLS[random.nextInt(TOOLS.length)];
		String toolUseId = builder.add("agent.tool_use",
				(json) -> json.append(",\"name\":\"")
					.append(tool)
					.append("\",\"input\":{\"command\":\"")
					.append(builder.text())
					.append("\"}"));
		builder.add("span.model_request_end", (json) -> builder.modelUsage(json, start));
		builder.add("agent.tool_result",
				(json) -> json.append(",\"tool_use_id\":\"")
					.append(toolUseId)
					.append("\",\"is_error\":")
					.append(random.nextInt(10) == 0)
					.append(",\"content\":[{\"type\":\"text\",\"text\":\"")
					.append(builder.text())
					.append("\"}]"));
		String second = builder.add("span.model_request_start", (json) -> {
			json.append(",\"model\":\"qoder-agent-1\"");
			builder.metadata(json);
		});
		if (random.nextInt(10) == 0) {
			String[] error = ERRORS[random.nextInt(ERRORS.length)].split("\\|");
			String message = String.format(error[1], random.nextInt(60));
			String retry = RETRY[random.nextInt(RETRY.length)];
			builder.add("session.error", (json) -> {
				json.append(",\"error\":{\"type\":\"").append(error[0]).append("\",\"message\":\"").append(message);
				json.append("\"},\"details\":{\"name\":\"APIError\",\"message\":\"").append(message).append('"');
				json.append("},\"retry_status\":{\"type\":\"").append(retry).append("\"}");
				builder.metadata(json);
			});
		}
		else {
			builder.add("agent.thinking",
					(json) -> json.append(",\"content\":[{\"type\":\"thinking\",\"thinking\":\"")
						.append(builder.text())
						.append("\"}]"));
		}
		builder.add("span.model_request_end", (json) -> builder.modelUsage(json, second));
		builder.add("agent.message",
				(json) -> json.append(",\"content\":[{\"type\":\"text\",\"text\":\"")
					.append(builder.text())
					.append("\"}]"));
		builder.add("session.status_idle", (json) -> {
			json.append(",\"status\":\"idle\",\"usage\":");
			builder.usage(json);
			json.append(",\"stop_reason\":{\"type\":\"")
				.append((random.nextInt(100) < 85) ? "end_turn" : "requires_action");
			json.append("\"}");
			builder.metadata(json);
		});
		return builder.events();
	}

	/** A SplitMix64 hash of the seed and two numbers. */
	static long mix(long seed, long a, long b) {
		long z = seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/**
	 * A session of the simulated upstream.
	 *
	 * @param id its id
	 * @param number its number
	 * @param eventCount how many events it holds
	 */
	record Session(String id, int number, int eventCount) {
	}

	/**
	 * One generated event with the columns the service stores next to the JSON.
	 *
	 * @param id the event id
	 * @param type the event type
	 * @param turnId the turn the ingester files it under: the upstream's turn id, or the
	 * id of the {@code user.message} that opened the turn
	 * @param sessionThreadId {@code session_thread_id} of a thread event, or null
	 * @param eventTime the event time the ingester derives: {@code created_at}, else
	 * {@code processed_at}, else the time of the event before it
	 * @param json the event's JSON text
	 */
	record Event(String id, String type, String turnId, String sessionThreadId, String eventTime, String json) {

		Event inTurn(String turn) {
			return new Event(this.id, this.type, turn, this.sessionThreadId, this.eventTime, this.json);
		}

	}

}
