package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo sessions: created, seeded with a few turns and tracked once the application is
 * ready, then given one turn each per tick. The first {@code primaryContractSessions}
 * speak the primary contract's shape, the others today's. The last one terminates after
 * {@value #LIFETIME} turns. Each turn is announced by a webhook when it starts and when
 * it ends.
 */
final class DemoTraffic {

	static final int LIFETIME = 5;

	private static final int SEEDED_TURNS = 2;

	private static final Logger logger = LoggerFactory.getLogger(DemoTraffic.class);

	private final SimulatedQoder qoder;

	private final DemoEvents events;

	private final Consumer<String> tracker;

	private final int count;

	private final int primaryContractSessions;

	private final Clock clock;

	private final BiConsumer<String, String> webhooks;

	private final Map<String, Integer> turns = new LinkedHashMap<>();

	DemoTraffic(SimulatedQoder qoder, DemoEvents events, Consumer<String> tracker, int count,
			int primaryContractSessions, Clock clock) {
		this(qoder, events, tracker, count, primaryContractSessions, clock, (type, sessionId) -> {
		});
	}

	/**
	 * Demo traffic that announces each turn with webhooks.
	 * @param webhooks delivers a webhook of a type (the first argument) naming a session
	 */
	DemoTraffic(SimulatedQoder qoder, DemoEvents events, Consumer<String> tracker, int count,
			int primaryContractSessions, Clock clock, BiConsumer<String, String> webhooks) {
		this.webhooks = webhooks;
		this.qoder = qoder;
		this.events = events;
		this.tracker = tracker;
		this.count = count;
		this.primaryContractSessions = primaryContractSessions;
		this.clock = clock;
	}

	/** The id of the n-th demo session, counting from 1. */
	static String sessionId(int n) {
		return "sess_de" + String.format("%030x", n);
	}

	/** The shape the n-th demo session speaks. */
	UpstreamShape shape(int n) {
		return (n <= this.primaryContractSessions) ? UpstreamShape.V0 : UpstreamShape.TODAY;
	}

	private UpstreamShape shape(String sessionId) {
		return shape(Integer.parseInt(sessionId.substring("sess_de".length()), 16));
	}

	synchronized void seed() {
		if (this.count == 0) {
			return;
		}
		Instant now = this.clock.instant();
		for (int n = 1; n <= this.count; n++) {
			String sessionId = sessionId(n);
			if (this.turns.containsKey(sessionId)) {
				continue;
			}
			this.qoder.createSession(sessionId, shape(n));
			for (int turn = SEEDED_TURNS; turn > 0; turn--) {
				this.qoder.appendAll(sessionId,
						this.events.turn(sessionId, now.minus(Duration.ofMinutes(turn)), shape(n)));
			}
			this.turns.put(sessionId, SEEDED_TURNS);
			try {
				this.tracker.accept(sessionId);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not track demo session {}", sessionId, ex);
			}
		}
		logger.info("Simulating {} demo sessions", this.turns.size());
	}

	/**
	 * Append one turn to every live demo session, and terminate the last one when its
	 * time has come.
	 */
	synchronized void advance() {
		String mortal = sessionId(this.count);
		this.turns.replaceAll((sessionId, played) -> {
			if (played < 0 || !this.qoder.exists(sessionId)) {
				return played;
			}
			UpstreamShape shape = shape(sessionId);
			this.webhooks.accept("session.status_run_started", sessionId);
			this.qoder.appendAll(sessionId, this.events.turn(sessionId, this.clock.instant(), shape));
			boolean terminates = sessionId.equals(mortal) && played + 1 >= LIFETIME;
			if (terminates) {
				this.qoder.appendAll(sessionId, this.events.termination(sessionId, this.clock.instant(), shape));
			}
			this.webhooks.accept("session.status_idled", sessionId);
			return terminates ? -1 : played + 1;
		});
	}

}
