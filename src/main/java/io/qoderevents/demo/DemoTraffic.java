package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo sessions: created, seeded with a few turns and tracked once the application is
 * ready, then given one turn each per tick. The first {@code primaryContractSessions}
 * speak the primary contract's shape, the others today's. The last one terminates after
 * {@value #LIFETIME} turns. With a pace, a turn's events appear one by one over it, so
 * the session is running for a while and its stream shows them as they come. Each turn is
 * announced by a webhook when its first event appears and after its last. What the
 * simulator serves is kept in a {@link DemoHistory} first, and restored from it at the
 * next start, so a restarted demo continues its sessions.
 */
final class DemoTraffic {

	static final int LIFETIME = 5;

	private static final int SEEDED_TURNS = 2;

	private static final String RUN_STARTED = "session.status_run_started";

	private static final String IDLED = "session.status_idled";

	private static final Set<String> TERMINAL_TYPES = Set.of("terminated", "session.status_terminated",
			"session.deleted");

	private static final Logger logger = LoggerFactory.getLogger(DemoTraffic.class);

	private final SimulatedQoder qoder;

	private final DemoEvents events;

	private final Consumer<String> tracker;

	private final int count;

	private final int primaryContractSessions;

	private final Clock clock;

	private final BiConsumer<String, String> webhooks;

	private final Map<String, Integer> turns = new LinkedHashMap<>();

	private final Duration pace;

	private final Deque<Pending> pending = new ArrayDeque<>();

	private final Map<String, Instant> lastDue = new HashMap<>();

	private final DemoHistory history;

	private final Set<String> untracked = new LinkedHashSet<>();

	DemoTraffic(SimulatedQoder qoder, DemoEvents events, Consumer<String> tracker, int count,
			int primaryContractSessions, Duration pace, Clock clock) {
		this(qoder, events, tracker, count, primaryContractSessions, pace, clock, (type, sessionId) -> {
		});
	}

	/**
	 * Demo traffic that announces each turn with webhooks.
	 * @param webhooks delivers a webhook of a type (the first argument) naming a session
	 */
	DemoTraffic(SimulatedQoder qoder, DemoEvents events, Consumer<String> tracker, int count,
			int primaryContractSessions, Duration pace, Clock clock, BiConsumer<String, String> webhooks) {
		this(qoder, events, tracker, count, primaryContractSessions, pace, clock, webhooks, DemoHistory.NONE);
	}

	/**
	 * Demo traffic that keeps what the simulator serves in a history.
	 * @param history where the sessions' events are kept across restarts
	 */
	DemoTraffic(SimulatedQoder qoder, DemoEvents events, Consumer<String> tracker, int count,
			int primaryContractSessions, Duration pace, Clock clock, BiConsumer<String, String> webhooks,
			DemoHistory history) {
		this.history = history;
		this.webhooks = webhooks;
		this.qoder = qoder;
		this.pace = pace;
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

	/**
	 * Who the n-th demo session belongs to: one of two agents, one of three teams and
	 * projects, so that reports by agent and by metadata show something from the start.
	 */
	String attribution(int n) {
		String[] teams = { "payments", "platform", "search" };
		String[] projects = { "ledger", "infra", "ranking" };
		boolean reviewer = n % 2 == 1;
		String model = (shape(n) == UpstreamShape.TODAY) ? "{\"id\":\"ultimate\"}" : "\"qwen3-coder\"";
		return "{\"agent\":{\"id\":\"" + (reviewer ? "agent_reviewer" : "agent_fixer")
				+ "\",\"type\":\"agent\",\"version\":" + (reviewer ? 3 : 7) + ",\"name\":\""
				+ (reviewer ? "reviewer" : "fixer") + "\",\"model\":" + model
				+ "},\"environment_id\":\"env_demo\",\"metadata\":{\"team\":\"" + teams[(n - 1) % 3]
				+ "\",\"project\":\"" + projects[(n - 1) % 3] + "\"}}";
	}

	/** The shape the n-th demo session speaks. */
	UpstreamShape shape(int n) {
		return (n <= this.primaryContractSessions) ? UpstreamShape.V0 : UpstreamShape.TODAY;
	}

	private UpstreamShape shape(String sessionId) {
		return shape(Integer.parseInt(sessionId.substring("sess_de".length()), 16));
	}

	/**
	 * Puts the kept sessions back into the simulator, each as it was served, before the
	 * service reads them again; a terminated one stays terminated.
	 */
	synchronized void restore() {
		Set<String> demo = new LinkedHashSet<>();
		for (int n = 1; n <= this.count; n++) {
			demo.add(sessionId(n));
		}
		this.history.load().forEach((sessionId, kept) -> {
			this.qoder.restore(sessionId, kept);
			if (demo.contains(sessionId)) {
				List<String> types = kept.events().stream().map((event) -> Json.field(event.json(), "type")).toList();
				boolean ended = types.stream().anyMatch(TERMINAL_TYPES::contains);
				this.turns.put(sessionId, ended ? -1 : (int) types.stream().filter("user.message"::equals).count());
				this.untracked.add(sessionId);
			}
		});
		if (!this.turns.isEmpty()) {
			logger.info("Continuing {} demo sessions kept from the last run", this.turns.size());
		}
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
			this.history.created(sessionId, shape(n), now);
			this.qoder.restore(sessionId, new DemoHistory.Kept(shape(n), now, List.of()));
			for (int turn = SEEDED_TURNS; turn > 0; turn--) {
				append(sessionId, this.events.turn(sessionId, now.minus(Duration.ofMinutes(turn)), shape(n)));
			}
			this.turns.put(sessionId, SEEDED_TURNS);
			this.untracked.add(sessionId);
		}
		for (int n = 1; n <= this.count; n++) {
			if (this.qoder.exists(sessionId(n))) {
				this.qoder.setSessionFields(sessionId(n), attribution(n));
			}
		}
		for (String sessionId : this.untracked) {
			try {
				this.tracker.accept(sessionId);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not track demo session {}", sessionId, ex);
			}
		}
		this.untracked.clear();
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
			play(sessionId, this.events.turn(sessionId, this.clock.instant(), shape), true);
			if (sessionId.equals(mortal) && played + 1 >= LIFETIME) {
				play(sessionId, this.events.termination(sessionId, this.clock.instant(), shape), false);
				return -1;
			}
			return played + 1;
		});
	}

	/** Appends the paced events whose time has come. */
	synchronized void drip() {
		Instant now = this.clock.instant();
		while (!this.pending.isEmpty() && !this.pending.peekFirst().dueAt().isAfter(now)) {
			Pending next = this.pending.pollFirst();
			if (this.qoder.exists(next.sessionId())) {
				announce(next.before(), next.sessionId());
				append(next.sessionId(), List.of(next.json()));
				announce(next.after(), next.sessionId());
			}
		}
	}

	/**
	 * Appends the events at once without a pace, else queues them spread over it, after
	 * what the session still has queued; a turn is announced before its first event and
	 * after its last.
	 */
	private void play(String sessionId, List<String> events, boolean turn) {
		String before = turn ? RUN_STARTED : null;
		String after = turn ? IDLED : null;
		if (this.pace.isZero() || events.isEmpty()) {
			announce(before, sessionId);
			append(sessionId, events);
			announce(after, sessionId);
			return;
		}
		Duration step = this.pace.dividedBy(events.size());
		Instant now = this.clock.instant();
		Instant due = this.lastDue.getOrDefault(sessionId, now);
		due = due.isBefore(now) ? now : due;
		for (int i = 0; i < events.size(); i++) {
			this.pending.add(new Pending(sessionId, events.get(i), due, (i == 0) ? before : null,
					(i == events.size() - 1) ? after : null));
			due = due.plus(step);
		}
		this.lastDue.put(sessionId, due);
		List<Pending> sorted = this.pending.stream().sorted(Comparator.comparing(Pending::dueAt)).toList();
		this.pending.clear();
		this.pending.addAll(sorted);
	}

	/** Keeps the events, then has the simulator serve them. */
	private void append(String sessionId, List<String> events) {
		this.history.appended(sessionId, events, this.clock.instant());
		this.qoder.appendAll(sessionId, events);
	}

	private void announce(String type, String sessionId) {
		if (type != null) {
			this.webhooks.accept(type, sessionId);
		}
	}

	/**
	 * An event waiting for its time, and the webhooks to deliver before and after it (or
	 * null).
	 */
	private record Pending(String sessionId, String json, Instant dueAt, String before, String after) {
	}

}
