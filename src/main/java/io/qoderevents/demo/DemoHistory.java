package io.qoderevents.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the demo sessions' upstream histories are kept, so that a restarted simulator
 * serves each session the events it served before and continues after them.
 */
interface DemoHistory {

	/** Keeps nothing: every start begins with new sessions. */
	DemoHistory NONE = new DemoHistory() {

		@Override
		public Map<String, Kept> load() {
			return Map.of();
		}

		@Override
		public void created(String sessionId, UpstreamShape shape, Instant at) {
		}

		@Override
		public void appended(String sessionId, List<String> events, Instant at) {
		}

	};

	/** The kept sessions by id, in the order they were created. */
	Map<String, Kept> load();

	/** Keeps a new session. */
	void created(String sessionId, UpstreamShape shape, Instant at);

	/** Keeps events appended to a session, in order. */
	void appended(String sessionId, List<String> events, Instant at);

	/**
	 * A kept session.
	 *
	 * @param shape the shape its session object has
	 * @param createdAt when it was created
	 * @param events its events in list order
	 */
	record Kept(UpstreamShape shape, Instant createdAt, List<Appended> events) {
	}

	/**
	 * A kept event.
	 *
	 * @param json the event text as served
	 * @param at when it was appended
	 */
	record Appended(String json, Instant at) {
	}

}
