package io.qoderevents.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The benchmark upstream's session list and its live sessions, for the freshness phase:
 * {@code idle} sessions of {@link BenchEvents} that never change, and {@code live}
 * sessions that each play a turn every {@code turnMillis} from {@code start} (staggered),
 * until {@code end}: {@code session.status_running} and {@code user.message} at the
 * turn's start, five {@code agent.message}s a tenth of a turn apart, and
 * {@code session.status_idle} six tenths in, each visible upstream from its
 * {@code processed_at}: a session runs for six tenths of each turn. The {@code run}
 * numbers the setup, so that each run's sessions and events have ids of their own.
 * Immutable: a new setup replaces it.
 */
record LiveSessions(List<String> idleIds, int run, int live, long turnMillis, long start, long end) {

	static final LiveSessions NONE = new LiveSessions(List.of(), 0, 0, 10_000, 0, 0);

	/** Events in a turn. */
	static final int PER_TURN = 8;

	private static final String[] TYPES = { "session.status_running", "user.message", "agent.message", "agent.message",
			"agent.message", "agent.message", "agent.message", "session.status_idle" };

	/** When each event of a turn appears, in tenths of the turn. */
	private static final int[] TENTHS = { 0, 0, 1, 2, 3, 4, 5, 6 };

	private static final HexFormat HEX = HexFormat.of();

	private static final Instant IDLE_UPDATED = Instant.parse("2026-01-01T00:00:00Z");

	static String liveId(int run, int index) {
		return "sess_0000000000000000feed" + HEX.toHexDigits(index) + HEX.toHexDigits((short) run);
	}

	String liveId(int index) {
		return liveId(this.run, index);
	}

	/** The live session's index, or -1 for any other id. */
	int liveIndex(String id) {
		if (!id.startsWith("sess_0000000000000000feed") || id.length() != 37) {
			return -1;
		}
		int index = Integer.parseUnsignedInt(id.substring(25, 33), 16);
		return (index < this.live && id.equals(liveId(index))) ? index : -1;
	}

	/**
	 * When event {@code position} ({@link #PER_TURN} per turn) of live session
	 * {@code index} appears.
	 */
	long eventTime(int index, long position) {
		long turn = position / PER_TURN;
		long offset = this.turnMillis * index / Math.max(1, this.live);
		return this.start + offset + turn * this.turnMillis
				+ this.turnMillis * TENTHS[(int) (position % PER_TURN)] / 10;
	}

	/** How many events of live session {@code index} are visible at {@code now}. */
	long visible(int index, long now) {
		long until = Math.min(now, this.end);
		long count = 0;
		while (eventTime(index, count) <= until) {
			count++;
		}
		return count;
	}

	String eventId(int index, long position) {
		return "evt_live" + this.run + "r" + index + "x" + position;
	}

	/** The event's position in its session, or -1. */
	static long position(String eventId) {
		int x = eventId.indexOf('x');
		try {
			return (eventId.startsWith("evt_live") && x > 0) ? Long.parseLong(eventId.substring(x + 1)) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** The type of the event at {@code position} of any live session. */
	static String type(long position) {
		return TYPES[(int) (position % PER_TURN)];
	}

	String eventJson(int index, long position) {
		String type = type(position);
		StringBuilder json = new StringBuilder(200).append("{\"id\":\"")
			.append(eventId(index, position))
			.append("\",\"type\":\"")
			.append(type)
			.append("\",\"processed_at\":\"")
			.append(Instant.ofEpochMilli(eventTime(index, position)))
			.append('"');
		if (type.equals("user.message") || type.equals("agent.message")) {
			json.append(",\"content\":[{\"type\":\"text\",\"text\":\"turn ").append(position / PER_TURN).append("\"}]");
		}
		if (type.equals("session.status_idle")) {
			json.append(",\"stop_reason\":{\"type\":\"end_turn\"}");
		}
		return json.append('}').toString();
	}

	/** The session object of live session {@code index} at {@code now}. */
	String sessionJson(int index, long now) {
		long visible = visible(index, now);
		boolean running = visible % PER_TURN != 0;
		Instant updated = (visible > 0) ? Instant.ofEpochMilli(eventTime(index, visible - 1))
				: Instant.ofEpochMilli(this.start);
		return session(liveId(index), running ? "running" : "idle", updated);
	}

	/**
	 * Every listed session's object at {@code now}, newest first: the live ones first.
	 */
	List<String> list(long now, List<String> statuses) {
		List<String> sessions = new ArrayList<>();
		for (int i = this.live - 1; i >= 0; i--) {
			String json = sessionJson(i, now);
			if (statuses.isEmpty()
					|| statuses.stream().anyMatch((status) -> json.contains("\"status\":\"" + status + "\""))) {
				sessions.add(json);
			}
		}
		if (statuses.isEmpty() || statuses.contains("idle")) {
			for (int i = this.idleIds.size() - 1; i >= 0; i--) {
				sessions.add(session(this.idleIds.get(i), "idle", IDLE_UPDATED));
			}
		}
		return sessions;
	}

	private static String session(String id, String status, Instant updated) {
		return "{\"id\":\"" + id + "\",\"type\":\"session\",\"status\":\"" + status
				+ "\",\"agent\":{\"model\":{\"id\":\"ultimate\"}},\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\""
				+ updated + "\",\"archived_at\":null,\"usage\":{}}";
	}

}
