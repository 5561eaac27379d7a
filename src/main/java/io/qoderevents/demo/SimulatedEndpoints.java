package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Flux;

/**
 * The simulator's endpoints as the vendor's contract describes them: bearer
 * authentication, event pages, the session object, the session list and the event stream,
 * each answering first what a test injected into its {@link SimulatedFaults} and counted
 * in its {@link SimulatedRequests}. Its state is guarded by the monitor of its
 * {@link SimulatedQoder}, on which it synchronizes.
 */
final class SimulatedEndpoints {

	/** How often an open stream checks for new events. */
	private static final Duration STREAM_TICK = Duration.ofMillis(50);

	private final Object lock;

	private final String token;

	private final Clock clock;

	private final Map<String, SimulatedSession> sessions;

	private final SimulatedFaults faults;

	private final SimulatedRequests requests;

	SimulatedEndpoints(Object lock, String token, Clock clock, Map<String, SimulatedSession> sessions,
			SimulatedFaults faults, SimulatedRequests requests) {
		this.lock = lock;
		this.token = token;
		this.clock = clock;
		this.sessions = sessions;
		this.faults = faults;
		this.requests = requests;
	}

	/** {@code GET /sessions/{sessionId}/events}. */
	SimulatedResponse listEvents(String authorization, String accept, String sessionId, Map<String, String> query) {
		String requestId = requestId();
		Duration delay;
		SimulatedResponse fault;
		synchronized (this.lock) {
			this.requests.eventsRequested(sessionId, query);
			delay = this.faults.takeEventDelay(sessionId);
			fault = this.faults.takeEventFault(sessionId);
		}
		sleep(delay);
		if (fault != null) {
			Map<String, String> headers = new LinkedHashMap<>(fault.headers());
			headers.putIfAbsent("x-request-id", requestId);
			return new SimulatedResponse(fault.status(), headers, fault.body());
		}
		try {
			authenticate(authorization);
			if (sessionId == null || !SimulatedSession.isValidId(sessionId)) {
				throw SimulatedError.invalid("session_id", "session_id must be sess_ and 32 lowercase hex digits");
			}
			PageQuery page = PageQuery.parse((query != null) ? query : Map.of());
			List<PageQuery.Item> events;
			synchronized (this.lock) {
				events = existing(sessionId).events();
			}
			if (accept != null && accept.contains("text/event-stream") && !accept.contains("application/json")) {
				return new SimulatedResponse(200,
						Map.of("x-request-id", requestId, "Content-Type", "text/event-stream"),
						": stream starts at the tail\n\n");
			}
			return new SimulatedResponse(200, Map.of("x-request-id", requestId), page.render(events));
		}
		catch (SimulatedError ex) {
			return new SimulatedResponse(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	/** {@code GET /sessions/{sessionId}/events/stream}. */
	SimulatedEventStream streamEvents(String authorization, String sessionId, String lastEventId) {
		String requestId = requestId();
		synchronized (this.lock) {
			this.requests.streamRequested(sessionId, lastEventId);
		}
		try {
			authenticate(authorization);
			SimulatedStream stream;
			synchronized (this.lock) {
				List<String> ids = existing(sessionId).events().stream().map(PageQuery.Item::id).toList();
				int from = ids.size();
				if (lastEventId != null) {
					int index = ids.indexOf(lastEventId);
					if (index < 0) {
						throw SimulatedError.invalid("Last-Event-ID", "Unknown event id " + lastEventId);
					}
					from = index + 1;
				}
				stream = new SimulatedStream(sessionId, from, this.clock.instant());
			}
			Flux<String> frames = Flux.interval(Duration.ZERO, STREAM_TICK)
				.onBackpressureDrop()
				.concatMapIterable((tick) -> step(stream))
				.takeUntil(SimulatedStream.END::equals)
				.filter((chunk) -> !SimulatedStream.END.equals(chunk))
				.doOnSubscribe((subscription) -> opened(sessionId, 1))
				.doFinally((signal) -> opened(sessionId, -1));
			return new SimulatedEventStream(new SimulatedResponse(200,
					Map.of("x-request-id", requestId, "Content-Type", "text/event-stream", "Cache-Control", "no-cache"),
					""), frames);
		}
		catch (SimulatedError ex) {
			return new SimulatedEventStream(
					new SimulatedResponse(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId)), null);
		}
	}

	/** {@code GET /sessions/{sessionId}}. */
	SimulatedResponse getSession(String authorization, String sessionId) {
		String requestId = requestId();
		Duration delay;
		SimulatedResponse fault;
		synchronized (this.lock) {
			this.requests.sessionRead(sessionId);
			delay = this.faults.takeSessionDelay(sessionId);
			fault = this.faults.takeSessionFault(sessionId);
		}
		sleep(delay);
		if (fault != null) {
			return new SimulatedResponse(fault.status(), Map.of("x-request-id", requestId), fault.body());
		}
		try {
			authenticate(authorization);
			synchronized (this.lock) {
				return new SimulatedResponse(200, Map.of("x-request-id", requestId), existing(sessionId).item().json());
			}
		}
		catch (SimulatedError ex) {
			return new SimulatedResponse(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	/** {@code GET /sessions}. */
	SimulatedResponse listSessions(String authorization, Map<String, String> query, List<String> statuses) {
		String requestId = requestId();
		Map<String, String> parameters = (query != null) ? query : Map.of();
		SimulatedResponse fault;
		synchronized (this.lock) {
			this.requests.sessionsListed(parameters);
			fault = this.faults.takeListFault(listPosition(parameters));
		}
		if (fault != null) {
			return new SimulatedResponse(fault.status(), Map.of("x-request-id", requestId), fault.body());
		}
		try {
			authenticate(authorization);
			PageQuery page = PageQuery.parse(parameters);
			boolean archived = "true".equals(parameters.get("include_archived"));
			List<PageQuery.Item> items;
			synchronized (this.lock) {
				items = new ArrayList<>(this.sessions.values()
					.stream()
					.filter((session) -> archived || !session.archived())
					.filter((session) -> statuses == null || statuses.isEmpty() || statuses.contains(session.status()))
					.map(SimulatedSession::item)
					.toList());
			}
			Collections.reverse(items);
			return new SimulatedResponse(200, Map.of("x-request-id", requestId), page.render(items));
		}
		catch (SimulatedError ex) {
			return new SimulatedResponse(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	private List<String> step(SimulatedStream stream) {
		synchronized (this.lock) {
			SimulatedSession session = this.sessions.get(stream.sessionId());
			return stream.next((session != null) ? session.events() : null, this.faults.streamInjections(),
					this.faults.streamHeartbeat(), this.faults.streamLifetime(), this.clock.instant());
		}
	}

	private void opened(String sessionId, int change) {
		synchronized (this.lock) {
			this.requests.streamOpened(sessionId, change);
		}
	}

	/** The session, or a 404 when there is none. */
	private SimulatedSession existing(String sessionId) {
		SimulatedSession session = this.sessions.get(sessionId);
		if (session == null) {
			throw new SimulatedError(404, "not_found_error", "Session " + sessionId + " not found", null);
		}
		return session;
	}

	/**
	 * Which page a list request asks for: the id it follows, {@code ""} for the first.
	 */
	private static String listPosition(Map<String, String> query) {
		PageQuery page;
		try {
			page = PageQuery.parse(query);
		}
		catch (SimulatedError ex) {
			return "";
		}
		return (page.afterId() != null) ? page.afterId() : "";
	}

	private void authenticate(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
				|| !authorization.substring(7).equals(this.token)) {
			throw new SimulatedError(401, "authentication_error", "Invalid or expired token", null);
		}
	}

	private static String requestId() {
		byte[] bytes = new byte[12];
		ThreadLocalRandom.current().nextBytes(bytes);
		return "req_" + HexFormat.of().formatHex(bytes);
	}

	private static void sleep(Duration delay) {
		if (delay == null) {
			return;
		}
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
