package io.qoderevents.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A turn in today's shape (the upstream since about August 2026), as long as a turn of
 * the primary contract's shape: no turn id (the turn is its {@code user.message}), a
 * {@code session.status_running} before the message, two model calls whose ends carry
 * {@code model_usage.credits}, no tokens anywhere. A quarter of the turns pause
 * ({@code requires_action}) for a tool confirmation and resume; one in eight runs a tool
 * round on a sub-agent thread. What decides the credits comes from a generator of its
 * own, so that a session's total needs no event text.
 */
final class TodayTurn {

	/** Mixed into the seed of the plan's generator, apart from the events' generator. */
	private static final long PLAN_SEED = 0x7E57_C0DE_C4ED_175L;

	/**
	 * Positions of the two {@code span.model_request_end} events in a turn that runs on.
	 */
	private static final int[] SPAN_ENDS = { 5, 9 };

	/** Positions of the two {@code span.model_request_end} events in a paused turn. */
	private static final int[] PAUSED_SPAN_ENDS = { 4, 10 };

	/** How much the upstream bills above the spans' credits. */
	private static final BigDecimal BILLED = new BigDecimal("1.12");

	private static final HexFormat HEX = HexFormat.of();

	private static final String[] ERRORS = { "model_overloaded_error|Model is overloaded, retry in %d seconds",
			"model_rate_limited_error|Rate limit of %d requests per minute reached",
			"unknown_error|The operation was aborted due to timeout",
			"mcp_connection_failed_error|connect ECONNREFUSED 10.0.%d.7:8931" };

	private static final String[] RETRY = { "retrying", "retrying", "exhausted", "terminal" };

	private static final String[] TOOLS = { "read_file", "run_command", "search_code", "edit_file" };

	private TodayTurn() {
	}

	/**
	 * What a turn does, drawn from its own generator.
	 *
	 * @param paused whether it pauses for a tool confirmation
	 * @param threadId the thread of its tool round, or null
	 * @param stopAsString whether its final {@code stop_reason} is a plain string
	 * @param modelUsage the {@code model_usage} JSON of its two model calls, null to omit
	 * it
	 * @param credits what each of them adds up to
	 */
	record Plan(boolean paused, String threadId, boolean stopAsString, String[] modelUsage, BigDecimal[] credits) {

		int[] spanEnds() {
			return this.paused ? PAUSED_SPAN_ENDS : SPAN_ENDS;
		}

	}

	/**
	 * Credits of a call floored to 2 places, often below 1; now and then {@code 0}, an
	 * empty {@code model_usage} or none (unknown).
	 */
	static Plan plan(long seed, BenchEvents.Session session, int turn) {
		SplittableRandom random = new SplittableRandom(BenchEvents.mix(seed ^ PLAN_SEED, session.number(), turn));
		boolean paused = random.nextInt(4) == 0;
		String threadId = (!paused && random.nextInt(8) == 0) ? "sthr_" + HEX.toHexDigits(random.nextLong()) : null;
		boolean stopAsString = random.nextInt(5) == 0;
		String[] modelUsage = new String[2];
		BigDecimal[] credits = new BigDecimal[2];
		for (int i = 0; i < 2; i++) {
			int kind = random.nextInt(100);
			BigDecimal value = BigDecimal.valueOf(1 + random.nextInt(400), 2);
			credits[i] = (kind < 10) ? BigDecimal.ZERO : value;
			modelUsage[i] = (kind < 3) ? null : (kind < 6) ? "{}"
					: (kind < 10) ? "{\"credits\":0}" : "{\"credits\":" + value.toPlainString() + "}";
		}
		return new Plan(paused, threadId, stopAsString, modelUsage, credits);
	}

	/**
	 * The session's {@code usage.total_credits}: its spans' credits and a little more,
	 * floored to 2 places; null when it has none.
	 */
	static BigDecimal billedCredits(long seed, BenchEvents.Session session) {
		BigDecimal spans = BigDecimal.ZERO;
		for (int turn = 0; turn * BenchEvents.TURN_LENGTH < session.eventCount(); turn++) {
			Plan plan = plan(seed, session, turn);
			for (int i = 0; i < 2; i++) {
				if (turn * BenchEvents.TURN_LENGTH + plan.spanEnds()[i] < session.eventCount()) {
					spans = spans.add(plan.credits()[i]);
				}
			}
		}
		return (spans.signum() > 0) ? spans.multiply(BILLED).setScale(2, RoundingMode.FLOOR) : null;
	}

	/** The turn's events. */
	static List<BenchEvents.Event> events(BenchTurn turn, SplittableRandom random, Plan plan) {
		turn.add("session.status_running", turn::metadata);
		message(turn, "user.message");
		String start = turn.add("span.model_request_start", turn::metadata);
		if (plan.paused()) {
			String toolUseId = toolUse(turn, random);
			turn.add("span.model_request_end", (json) -> turn.modelUsage(json, start, plan.modelUsage()[0]));
			turn.add("session.status_idle", (json) -> {
				json.append(",\"stop_reason\":{\"type\":\"requires_action\",\"event_ids\":[\"")
					.append(toolUseId)
					.append("\"]}");
				turn.metadata(json);
			});
			turn.add("user.tool_confirmation", (json) -> {
				json.append(",\"tool_use_id\":\"").append(toolUseId).append("\",\"result\":\"allow\"");
				turn.metadata(json);
			});
			turn.add("session.status_running", turn::metadata);
			toolResult(turn, random, toolUseId);
			String second = turn.add("span.model_request_start", turn::metadata);
			turn.add("span.model_request_end", (json) -> turn.modelUsage(json, second, plan.modelUsage()[1]));
		}
		else {
			turn.thread(plan.threadId());
			thinking(turn);
			String toolUseId = toolUse(turn, random);
			turn.thread(null);
			turn.add("span.model_request_end", (json) -> turn.modelUsage(json, start, plan.modelUsage()[0]));
			toolResult(turn, random, toolUseId);
			String second = turn.add("span.model_request_start", turn::metadata);
			if (random.nextInt(10) == 0) {
				error(turn, random);
			}
			else {
				thinking(turn);
			}
			turn.add("span.model_request_end", (json) -> turn.modelUsage(json, second, plan.modelUsage()[1]));
			message(turn, "agent.message");
		}
		turn.add("session.status_idle", (json) -> {
			json.append(",\"stop_reason\":").append(plan.stopAsString() ? "\"end_turn\"" : "{\"type\":\"end_turn\"}");
			turn.metadata(json);
		});
		return turn.events();
	}

	private static void message(BenchTurn turn, String type) {
		turn.add(type,
				(json) -> json.append(",\"content\":[{\"type\":\"text\",\"text\":\"")
					.append(turn.text())
					.append("\"}]"));
	}

	private static void thinking(BenchTurn turn) {
		turn.add("agent.thinking",
				(json) -> json.append(",\"content\":[{\"type\":\"thinking\",\"thinking\":\"")
					.append(turn.text())
					.append("\"}]"));
	}

	private static String toolUse(BenchTurn turn, SplittableRandom random) {
		String tool = TOOLS[random.nextInt(TOOLS.length)];
		return turn.add("agent.tool_use",
				(json) -> json.append(",\"name\":\"")
					.append(tool)
					.append("\",\"input\":{\"command\":\"")
					.append(turn.text())
					.append("\"}"));
	}

	private static void toolResult(BenchTurn turn, SplittableRandom random, String toolUseId) {
		turn.add("agent.tool_result",
				(json) -> json.append(",\"tool_use_id\":\"")
					.append(toolUseId)
					.append("\",\"is_error\":")
					.append(random.nextInt(10) == 0)
					.append(",\"content\":[{\"type\":\"text\",\"text\":\"")
					.append(turn.text())
					.append("\"}]"));
	}

	/**
	 * Today's error: {@code retry_status} nested in {@code error}, no {@code details}.
	 */
	private static void error(BenchTurn turn, SplittableRandom random) {
		String[] error = ERRORS[random.nextInt(ERRORS.length)].split("\\|");
		String message = String.format(error[1], random.nextInt(60));
		String retry = RETRY[random.nextInt(RETRY.length)];
		turn.add("session.error", (json) -> {
			json.append(",\"error\":{\"type\":\"").append(error[0]).append("\",\"message\":\"").append(message);
			json.append("\",\"retry_status\":{\"type\":\"").append(retry).append("\"}}");
			turn.metadata(json);
		});
	}

}
