package io.qoderevents.ingest.turns;

import java.util.Set;

import io.qoderevents.upstream.UpstreamEvent;

/**
 * The event types and stop reasons ingestion acts on, and the rules that read them: where
 * a turn ends, what is a pause, and whether the session runs after an event. The planner
 * and the live tail decide these here and nowhere else.
 */
public final class Events {

	/** The session started working. */
	static final String RUNNING = "session.status_running";

	/** The session stopped working: its turn ends, unless the stop is a pause. */
	static final String IDLE = "session.status_idle";

	/** A message from the user: without upstream turn ids, it opens a turn. */
	static final String USER_MESSAGE = "user.message";

	/** The end of a model request, with its {@code model_usage}. */
	static final String SPAN_END = "span.model_request_end";

	/** An error the session reported. */
	static final String ERROR = "session.error";

	/** The events after which a session produces no more. */
	static final Set<String> TERMINAL_TYPES = Set.of("terminated", "session.status_terminated", "session.deleted");

	/** The stop reason of an idle that waits for the user inside the turn. */
	static final String REQUIRES_ACTION = "requires_action";

	/** What an idle event's stop reason is read from. */
	static final Set<String> IDLE_FIELDS = Set.of("usage", "stop_reason");

	private Events() {
	}

	/** Whether the type finishes the session. */
	public static boolean isTerminal(String type) {
		return type != null && TERMINAL_TYPES.contains(type);
	}

	static boolean isIdle(String type) {
		return IDLE.equals(type);
	}

	static boolean isRunning(String type) {
		return RUNNING.equals(type);
	}

	static boolean isModelSpan(String type) {
		return SPAN_END.equals(type);
	}

	static boolean isUserMessage(String type) {
		return USER_MESSAGE.equals(type);
	}

	static boolean isError(String type) {
		return ERROR.equals(type);
	}

	/** Whether an idle with this stop reason pauses its turn instead of ending it. */
	static boolean isPause(String stopReason) {
		return REQUIRES_ACTION.equals(stopReason);
	}

	/**
	 * Whether a primary-thread event of this type and (for an idle) stop reason ends its
	 * turn: an idle that is no pause, or a terminal event.
	 */
	static boolean endsTurn(String type, String stopReason) {
		return isTerminal(type) || (isIdle(type) && !isPause(stopReason));
	}

	/**
	 * Whether the event ends the turn in progress: a primary-thread idle that is no
	 * pause, or a terminal event. Thread events and elements that are no event end none.
	 */
	public static boolean endsTurn(UpstreamEvent event) {
		if (event.type() == null || !event.object() || event.sessionThreadId() != null) {
			return false;
		}
		String stopReason = isIdle(event.type()) ? EventFields.stopReason(event.fields(IDLE_FIELDS)) : null;
		return endsTurn(event.type(), stopReason);
	}

	/**
	 * Whether the session stops running at a primary-thread event of this type: any idle,
	 * a pause too, or a terminal event.
	 */
	static boolean stopsRunning(String type) {
		return isIdle(type) || isTerminal(type);
	}

}
