package io.qoderevents.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's sessions for tests outside this package: the same turns the demo seeds, from
 * a fixed seed.
 */
public final class DemoSessions {

	private DemoSessions() {
	}

	/** The id of the demo's {@code n}th session. */
	public static String sessionId(int n) {
		return DemoTraffic.sessionId(n);
	}

	/**
	 * Creates the session upstream in today's shape and appends {@code turns} demo turns
	 * ending before {@code now}.
	 */
	public static void create(SimulatedQoder qoder, String sessionId, int turns, Instant now, long seed) {
		DemoEvents events = new DemoEvents(new Random(seed));
		qoder.createSession(sessionId, UpstreamShape.TODAY);
		List<String> all = new ArrayList<>();
		for (int turn = turns; turn > 0; turn--) {
			all.addAll(events.turn(sessionId, now.minus(Duration.ofMinutes(3L * turn)), UpstreamShape.TODAY));
		}
		qoder.appendAll(sessionId, all);
	}

	/** Appends one more demo turn to a session created by {@link #create}. */
	public static void append(SimulatedQoder qoder, String sessionId, Instant notBefore, long seed) {
		qoder.appendAll(sessionId, new DemoEvents(new Random(seed)).turn(sessionId, notBefore, UpstreamShape.TODAY));
	}

}
