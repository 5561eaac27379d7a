package io.qoderevents.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tools.jackson.databind.node.ObjectNode;

/**
 * Realistic event JSON texts for demo sessions: one turn at a time, or a session's end.
 * Thread-safe.
 */
final class DemoEvents {

	private static final List<String> PROMPTS = List.of("Fix the failing build on main.",
			"Add pagination to the orders endpoint.", "Why is the nightly job slow?",
			"Write tests for the invoice parser.", "Upgrade the project to the latest Spring Boot.");

	private static final List<String> REPLIES = List.of("Done: the build passes again.",
			"I added cursor pagination and tests.", "The job scans the whole table; I added an index.",
			"I need your approval before pushing the branch.");

	private static final List<List<String>> TOOLS = List.of(List.of("read_file", "path", "src/main/java/App.java"),
			List.of("run_command", "command", "./mvnw -q test"), List.of("search_code", "query", "findByCursor"),
			List.of("edit_file", "path", "src/main/resources/application.yml"));

	private static final List<List<String>> ERRORS = List.of(
			List.of("unknown_error", "The operation was aborted due to timeout", "TimeoutError"),
			List.of("model_overloaded_error", "Model is overloaded, retry in %d seconds", "OverloadedError"),
			List.of("model_rate_limited_error", "Rate limit of %d requests per minute reached", "RateLimitError"),
			List.of("model_request_failed_error", "Model request failed with status 5%02d", "APIError"),
			List.of("mcp_connection_failed_error", "connect ECONNREFUSED 10.0.%d.%d:8931", "McpConnectionError"),
			List.of("mcp_authentication_failed_error", "MCP server github rejected the token", "McpAuthError"),
			List.of("billing_error", "Insufficient credits: %d remaining", "BillingError"),
			List.of("credential_host_unreachable_error", "Credential host unreachable after %d ms", "FetchError"));

	private final Random random;

	private final Map<String, Instant> last = new HashMap<>();

	DemoEvents(Random random) {
		this.random = random;
	}

	/** One turn in the session's shape. */
	synchronized List<String> turn(String sessionId, Instant notBefore, UpstreamShape shape) {
		return (shape == UpstreamShape.TODAY) ? todayTurn(sessionId, notBefore) : turn(sessionId, notBefore);
	}

	/**
	 * One turn of today's upstream: running, the prompt, model calls with credits and
	 * tools, sometimes a pause for a tool confirmation, maybe an error, the idle event.
	 */
	private List<String> todayTurn(String sessionId, Instant notBefore) {
		DemoTurn turn = start(sessionId, notBefore, UpstreamShape.TODAY);
		turn.add("session.status_running", (event) -> {
		});
		turn.add("user.message",
				(event) -> event.putArray("content").addObject().put("type", "text").put("text", pick(PROMPTS)));
		if (this.random.nextInt(100) < 10) {
			todaySpan(turn, Outcome.FAILURE);
			error(turn, "retrying");
		}
		int rounds = this.random.nextInt(3);
		for (int round = 0; round < rounds; round++) {
			String toolUseId = todaySpan(turn, Outcome.TOOL_USE);
			if (this.random.nextInt(10) < 3) {
				turn.add("session.status_idle",
						(event) -> event.putObject("stop_reason")
							.put("type", "requires_action")
							.putArray("event_ids")
							.add(toolUseId));
				turn.add("user.tool_confirmation",
						(event) -> event.put("tool_use_id", toolUseId).put("result", "allow"));
				turn.add("session.status_running", (event) -> {
				});
			}
			turn.add("agent.tool_result", (event) -> {
				event.put("tool_use_id", toolUseId);
				event.putArray("content").addObject().put("type", "text").put("text", "ok: 42 lines");
			});
		}
		todaySpan(turn, Outcome.REPLY);
		turn.add("session.status_idle", (event) -> {
			if (this.random.nextInt(5) == 0) {
				event.put("stop_reason", "end_turn");
			}
			else {
				event.putObject("stop_reason").put("type", "end_turn");
			}
		});
		return end(sessionId, turn);
	}

	/** A model call of today's upstream: credits on its end, sometimes 0 or omitted. */
	private String todaySpan(DemoTurn turn, Outcome outcome) {
		String startId = turn.add("span.model_request_start", (event) -> {
		});
		if (this.random.nextInt(10) < 7) {
			turn.add("agent.thinking", (event) -> {
			});
		}
		String toolUseId = (outcome == Outcome.TOOL_USE) ? turn.add("agent.tool_use", (event) -> {
			List<String> tool = pick(TOOLS);
			event.put("name", tool.get(0)).putObject("input").put(tool.get(1), tool.get(2));
		}) : null;
		int credits = this.random.nextInt(10);
		turn.add("span.model_request_end", (event) -> {
			event.put("is_error", outcome == Outcome.FAILURE).put("model_request_start_id", startId);
			if (credits > 0) {
				event.putObject("model_usage")
					.put("credits", (outcome == Outcome.FAILURE || credits == 1) ? BigDecimal.ZERO
							: BigDecimal.valueOf(5 + this.random.nextInt(300), 2));
			}
		});
		if (outcome == Outcome.REPLY) {
			turn.add("agent.message",
					(event) -> event.putArray("content").addObject().put("type", "text").put("text", pick(REPLIES)));
		}
		return toolUseId;
	}

	/**
	 * One turn of the primary contract: a prompt, model requests with tools, maybe an
	 * error, and the idle event carrying usage.
	 */
	private List<String> turn(String sessionId, Instant notBefore) {
		DemoTurn turn = start(sessionId, notBefore, UpstreamShape.V0);
		turn.add("user.message", (event) -> {
			if (this.random.nextInt(5) < 3) {
				event.put("content", pick(PROMPTS));
			}
			else {
				event.putArray("content").addObject().put("type", "text").put("text", pick(PROMPTS));
			}
		});
		turn.add("session.status_running", (event) -> {
		});
		long[] usage = new long[4];
		boolean legacy = this.random.nextInt(3) == 0;
		int trouble = this.random.nextInt(100);
		if (trouble < 12) {
			span(turn, usage, legacy, Outcome.FAILURE);
			error(turn, (trouble < 8) ? "retrying" : "exhausted");
			if (trouble >= 8) {
				return end(sessionId, idle(turn, usage, "retries_exhausted"));
			}
		}
		int rounds = this.random.nextInt(3);
		for (int round = 0; round < rounds; round++) {
			String toolUseId = span(turn, usage, legacy, Outcome.TOOL_USE);
			turn.add("agent.tool_result", (event) -> {
				event.put("tool_use_id", toolUseId);
				event.putArray("content").addObject().put("type", "text").put("text", "ok: 42 lines");
				event.put("is_error", this.random.nextInt(10) == 0);
			});
		}
		span(turn, usage, legacy, Outcome.REPLY);
		String stopReason = (this.random.nextInt(100) < 85) ? "end_turn" : "requires_action";
		return end(sessionId, idle(turn, usage, stopReason));
	}

	/**
	 * The session's end: sometimes a terminal error, then {@code terminated} or its newer
	 * name.
	 */
	synchronized List<String> termination(String sessionId, Instant notBefore, UpstreamShape shape) {
		DemoTurn turn = start(sessionId, notBefore, shape);
		if (this.random.nextBoolean()) {
			error(turn, "terminal");
		}
		turn.add(this.random.nextBoolean() ? "terminated" : "session.status_terminated", (event) -> {
		});
		return end(sessionId, turn);
	}

	/**
	 * A model request: start, thinking, then a tool use, the reply, or a failure; returns
	 * the tool use id.
	 */
	private String span(DemoTurn turn, long[] usage, boolean legacy, Outcome outcome) {
		boolean failed = outcome == Outcome.FAILURE;
		String spanId = "span_" + DemoIds.uuid4(this.random);
		String startId = turn.add("span.model_request_start", (event) -> {
			if (legacy) {
				event.put("model", "qoder-agent-1").put("span_id", spanId);
			}
		});
		if (this.random.nextInt(10) < 7) {
			turn.add("agent.thinking", (event) -> {
				if (this.random.nextBoolean()) {
					event.putArray("content").addObject().put("type", "thinking").put("thinking", "Let me check.");
				}
			});
		}
		String toolUseId = (outcome == Outcome.TOOL_USE) ? turn.add("agent.tool_use", (event) -> {
			List<String> tool = pick(TOOLS);
			event.put("name", tool.get(0)).putObject("input").put(tool.get(1), tool.get(2));
		}) : null;
		long[] tokens = { 200 + this.random.nextInt(4800), 20 + this.random.nextInt(1500),
				this.random.nextBoolean() ? 1000 + this.random.nextInt(40000) : 0,
				this.random.nextBoolean() ? 100 + this.random.nextInt(3000) : 0 };
		for (int i = 0; i < 4; i++) {
			usage[i] += failed ? 0 : tokens[i];
		}
		turn.add("span.model_request_end", (event) -> {
			if (legacy) {
				event.put("model", "qoder-agent-1").put("span_id", spanId);
			}
			else {
				event.put("model_request_start_id", startId).put("is_error", failed);
			}
			ObjectNode modelUsage = event.putObject("model_usage");
			if (!legacy && this.random.nextInt(5) == 0) {
				modelUsage.put("credits", (failed ? 0 : tokens[0] + tokens[1]) / 1000.0);
			}
			else {
				usage(modelUsage, failed ? new long[4] : tokens);
			}
		});
		if (outcome == Outcome.REPLY) {
			turn.add("agent.message",
					(event) -> event.putArray("content").addObject().put("type", "text").put("text", pick(REPLIES)));
		}
		return toolUseId;
	}

	private void error(DemoTurn turn, String retryStatus) {
		List<String> error = pick(ERRORS);
		String message = String.format(error.get(1), this.random.nextInt(256), this.random.nextInt(256));
		boolean nested = this.random.nextInt(10) < 3;
		turn.add("session.error", (event) -> {
			ObjectNode body = event.putObject("error").put("type", error.get(0)).put("message", message);
			event.putObject("details").put("message", message).put("name", error.get(2));
			(nested ? body : event).putObject("retry_status").put("type", retryStatus);
		});
	}

	private DemoTurn idle(DemoTurn turn, long[] usage, String stopReason) {
		turn.add("session.status_idle", (event) -> {
			usage(event.put("status", "idle").putObject("usage"), usage);
			event.putObject("stop_reason").put("type", stopReason);
		});
		return turn;
	}

	private static void usage(ObjectNode node, long[] tokens) {
		node.put("input_tokens", tokens[0]).put("output_tokens", tokens[1]);
		node.put("cache_read_input_tokens", tokens[2]).put("cache_creation_input_tokens", tokens[3]);
	}

	private DemoTurn start(String sessionId, Instant notBefore, UpstreamShape shape) {
		Instant previous = this.last.get(sessionId);
		return new DemoTurn(this.random, sessionId,
				(previous != null && previous.isAfter(notBefore)) ? previous : notBefore, shape);
	}

	private List<String> end(String sessionId, DemoTurn turn) {
		this.last.put(sessionId, turn.last());
		return turn.events();
	}

	private <T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	private enum Outcome {

		FAILURE, TOOL_USE, REPLY

	}

}
