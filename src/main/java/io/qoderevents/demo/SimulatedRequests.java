package io.qoderevents.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the simulator received: the request log, counts by endpoint, and the streams open
 * per session. Guarded by its {@link SimulatedQoder}.
 */
final class SimulatedRequests {

	private final List<String> log = new ArrayList<>();

	private final List<Instant> arrivals = new ArrayList<>();

	private int eventRequests;

	private int sessionReads;

	private int streamOpens;

	private final Map<String, Integer> openStreams = new LinkedHashMap<>();

	private final Map<String, Integer> mostOpenStreams = new LinkedHashMap<>();

	void eventsRequested(String sessionId, Map<String, String> query) {
		this.eventRequests++;
		log("/sessions/" + sessionId + "/events", query);
	}

	void streamRequested(String sessionId, String lastEventId) {
		this.streamOpens++;
		log("/sessions/" + sessionId + "/events/stream",
				(lastEventId != null) ? Map.of("last_event_id", lastEventId) : Map.of());
	}

	void sessionRead(String sessionId) {
		this.sessionReads++;
		log("/sessions/" + sessionId, Map.of());
	}

	void sessionsListed(Map<String, String> query) {
		log("/sessions", query);
	}

	/** A stream of the session opened ({@code change} 1) or closed (-1). */
	void streamOpened(String sessionId, int change) {
		int open = this.openStreams.merge(sessionId, change, Integer::sum);
		this.mostOpenStreams.merge(sessionId, open, Math::max);
	}

	int eventRequests() {
		return this.eventRequests;
	}

	int sessionReads() {
		return this.sessionReads;
	}

	int streamOpens() {
		return this.streamOpens;
	}

	int openStreams(String sessionId) {
		return this.openStreams.getOrDefault(sessionId, 0);
	}

	int mostOpenStreams(String sessionId) {
		return this.mostOpenStreams.getOrDefault(sessionId, 0);
	}

	List<String> log() {
		return List.copyOf(this.log);
	}

	/** When each request of the log arrived, on the wall clock, in the log's order. */
	List<Instant> arrivals() {
		return List.copyOf(this.arrivals);
	}

	/**
	 * Forgets the log, the counts and the most streams open at once; the streams open now
	 * stay counted until they close.
	 */
	void clear() {
		this.log.clear();
		this.arrivals.clear();
		this.eventRequests = 0;
		this.sessionReads = 0;
		this.streamOpens = 0;
		this.mostOpenStreams.clear();
	}

	private void log(String path, Map<String, String> query) {
		String parameters = ((query != null) ? query : Map.<String, String>of()).entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("&"));
		this.log.add(parameters.isEmpty() ? path : path + "?" + parameters);
		this.arrivals.add(Instant.now());
	}

}
