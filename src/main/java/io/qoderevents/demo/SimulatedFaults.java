package io.qoderevents.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a test set up for the simulator's next requests: faults and delays of the events
 * endpoint, of session reads and of the session list, raw text for streams, and how
 * streams beat and end. Guarded by its {@link SimulatedQoder}.
 */
final class SimulatedFaults {

	private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

	private final List<Injection<SimulatedResponse>> eventFaults = new ArrayList<>();

	private final List<Injection<Duration>> eventDelays = new ArrayList<>();

	private final List<Injection<SimulatedResponse>> sessionFaults = new ArrayList<>();

	private final List<Injection<Duration>> sessionDelays = new ArrayList<>();

	private final List<Injection<SimulatedResponse>> listFaults = new ArrayList<>();

	private final List<SimulatedStream.Injected> streamInjections = new ArrayList<>();

	private Duration streamHeartbeat = DEFAULT_HEARTBEAT;

	private Duration streamLifetime;

	void failEvents(String sessionId, int times, int status, Map<String, String> headers, String body) {
		Map<String, String> copy = (headers != null) ? new LinkedHashMap<>(headers) : new LinkedHashMap<>();
		this.eventFaults
			.add(new Injection<>(sessionId, new SimulatedResponse(status, copy, (body != null) ? body : ""), times));
	}

	void delayEvents(String sessionId, int times, Duration delay) {
		this.eventDelays.add(new Injection<>(sessionId, delay, times));
	}

	void failSessionRead(String sessionId, int times, int status, String body) {
		this.sessionFaults.add(new Injection<>(sessionId, new SimulatedResponse(status, Map.of(), body), times));
	}

	void delaySessionRead(String sessionId, int times, Duration delay) {
		this.sessionDelays.add(new Injection<>(sessionId, delay, times));
	}

	void failSessionList(String afterSessionId, int times, int status, String body) {
		this.listFaults.add(new Injection<>(afterSessionId, new SimulatedResponse(status, Map.of(), body), times));
	}

	void injectIntoStream(String sessionId, int afterEvents, String raw) {
		this.streamInjections.add(new SimulatedStream.Injected(sessionId, afterEvents, raw));
	}

	/** The fault for this events request, consumed, or null. */
	SimulatedResponse takeEventFault(String sessionId) {
		return Injection.take(this.eventFaults, sessionId);
	}

	/** The delay of this events request, consumed, or null. */
	Duration takeEventDelay(String sessionId) {
		return Injection.take(this.eventDelays, sessionId);
	}

	SimulatedResponse takeSessionFault(String sessionId) {
		return Injection.take(this.sessionFaults, sessionId);
	}

	Duration takeSessionDelay(String sessionId) {
		return Injection.take(this.sessionDelays, sessionId);
	}

	/**
	 * The fault for the list page after this session id ({@code ""} for the first),
	 * consumed, or null.
	 */
	SimulatedResponse takeListFault(String position) {
		return Injection.take(this.listFaults, position);
	}

	/** The raw text waiting for streams; a stream removes what it writes. */
	List<SimulatedStream.Injected> streamInjections() {
		return this.streamInjections;
	}

	Duration streamHeartbeat() {
		return this.streamHeartbeat;
	}

	void streamHeartbeat(Duration interval) {
		this.streamHeartbeat = interval;
	}

	/** How long a stream lives, or null for ever. */
	Duration streamLifetime() {
		return this.streamLifetime;
	}

	void streamLifetime(Duration lifetime) {
		this.streamLifetime = lifetime;
	}

	/** Forgets every fault, delay and injection, and the stream settings. */
	void clear() {
		this.eventFaults.clear();
		this.eventDelays.clear();
		this.sessionFaults.clear();
		this.sessionDelays.clear();
		this.listFaults.clear();
		this.streamInjections.clear();
		this.streamHeartbeat = DEFAULT_HEARTBEAT;
		this.streamLifetime = null;
	}

}
