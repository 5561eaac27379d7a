package io.qoderevents.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An in-memory Qoder Cloud Agents API: sessions holding their events as raw JSON text,
 * served in pages as the vendor's contract describes, with injectable faults and delays.
 * Independent of any HTTP transport and thread-safe. This is its one entry: the sessions
 * a test or the demo traffic sets up, the endpoints ({@link SimulatedEndpoints}), and the
 * test-control side, what the next requests get ({@link SimulatedFaults}) and what was
 * received ({@link SimulatedRequests}), all guarded by its monitor.
 */
public class SimulatedQoder {

	private final Clock clock;

	private final Map<String, SimulatedSession> sessions = new LinkedHashMap<>();

	private final SimulatedFaults faults = new SimulatedFaults();

	private final SimulatedRequests requests = new SimulatedRequests();

	private final SimulatedEndpoints endpoints;

	/**
	 * Create a simulator accepting one bearer token.
	 * @param token the token requests must present as
	 * {@code Authorization: Bearer <token>}
	 * @param clock the time of sessions, events and streams
	 */
	public SimulatedQoder(String token, Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.endpoints = new SimulatedEndpoints(this, Objects.requireNonNull(token, "token"), clock, this.sessions,
				this.faults, this.requests);
	}

	/** Create an empty session of today's shape; does nothing if it exists. */
	public void createSession(String sessionId) {
		createSession(sessionId, UpstreamShape.TODAY);
	}

	/**
	 * Create an empty session whose session object has the given shape; does nothing if
	 * it exists.
	 */
	public synchronized void createSession(String sessionId, UpstreamShape shape) {
		if (!SimulatedSession.isValidId(sessionId)) {
			throw new IllegalArgumentException("Invalid session id " + sessionId);
		}
		this.sessions.computeIfAbsent(sessionId, (id) -> new SimulatedSession(id, this.clock.instant(), shape));
	}

	/**
	 * Puts a session as it was kept: created then, its events appended at their times.
	 */
	synchronized void restore(String sessionId, DemoHistory.Kept kept) {
		SimulatedSession session = new SimulatedSession(sessionId, kept.createdAt(), kept.shape());
		kept.events().forEach((event) -> session.append(event.json(), event.at()));
		this.sessions.put(sessionId, session);
	}

	public synchronized boolean exists(String sessionId) {
		return this.sessions.containsKey(sessionId);
	}

	/** Delete a session and its events; later requests for it get 404. */
	public synchronized void deleteSession(String sessionId) {
		this.sessions.remove(sessionId);
	}

	/**
	 * Append one event, stored and served verbatim (any text, even malformed, may be
	 * appended).
	 */
	public void append(String sessionId, String eventJson) {
		appendAll(sessionId, List.of(eventJson));
	}

	/** Append events in order, stored and served verbatim. */
	public synchronized void appendAll(String sessionId, List<String> eventsJson) {
		SimulatedSession session = this.sessions.get(sessionId);
		if (session == null) {
			throw new IllegalArgumentException("Unknown session " + sessionId);
		}
		eventsJson.forEach((json) -> session.append(Objects.requireNonNull(json, "eventJson"), this.clock.instant()));
	}

	/** The session's event texts in list order, empty for an unknown session. */
	public synchronized List<String> events(String sessionId) {
		return items(sessionId).stream().map(PageQuery.Item::json).toList();
	}

	/**
	 * The session's event ids in list order ({@code null} for an event without a string
	 * id).
	 */
	public synchronized List<String> eventIds(String sessionId) {
		List<String> ids = items(sessionId).stream().map(PageQuery.Item::id).collect(Collectors.toList());
		return Collections.unmodifiableList(ids);
	}

	/** Archives the session: listed only with {@code include_archived=true}. */
	public synchronized void archiveSession(String sessionId) {
		this.sessions.get(sessionId).archive(this.clock.instant());
	}

	/** Serves these top-level fields (a JSON object text) in the session object. */
	public synchronized void setSessionFields(String sessionId, String fieldsJson) {
		this.sessions.get(sessionId).fields(fieldsJson, this.clock.instant());
	}

	/** Sets the session's status as the upstream reports it, e.g. {@code running}. */
	public synchronized void setStatus(String sessionId, String status) {
		this.sessions.get(sessionId).status(status, this.clock.instant());
	}

	/**
	 * Answer the next {@code times} event requests of a session, or of any session when
	 * {@code sessionId} is null, with this status, headers and body (null for none)
	 * instead of processing them.
	 */
	public synchronized void failNext(String sessionId, int times, int status, Map<String, String> headers,
			String body) {
		this.faults.failEvents(sessionId, times, status, headers, body);
	}

	/**
	 * Delay the answer to the next {@code times} event requests of a session, or of any
	 * when null.
	 */
	public synchronized void delayNext(String sessionId, int times, Duration delay) {
		this.faults.delayEvents(sessionId, times, delay);
	}

	/**
	 * Answer the next {@code times} reads of a session object ({@code GET
	 * /sessions/{id}}) with this status and body instead; the events endpoint is not
	 * affected.
	 */
	public synchronized void failNextSessionRead(String sessionId, int times, int status, String body) {
		this.faults.failSessionRead(sessionId, times, status, body);
	}

	/** Delay the next {@code times} reads of a session object. */
	public synchronized void delayNextSessionRead(String sessionId, int times, Duration delay) {
		this.faults.delaySessionRead(sessionId, times, delay);
	}

	/**
	 * Answers the next {@code times} session-list requests for the page after
	 * {@code afterSessionId} (the first page when it is {@code ""}, any page when null)
	 * with this status and body instead.
	 */
	public synchronized void failNextSessionList(String afterSessionId, int times, int status, String body) {
		this.faults.failSessionList(afterSessionId, times, status, body);
	}

	/**
	 * Write this raw text into the next stream of the session once it has written
	 * {@code afterEvents} events (a frame, a comment, or a part of one); null drops the
	 * connection there.
	 */
	public synchronized void injectIntoStream(String sessionId, int afterEvents, String raw) {
		this.faults.injectIntoStream(sessionId, afterEvents, raw);
	}

	/**
	 * How long an open stream stays quiet before a {@code : heartbeat} comment (3 s
	 * unless set).
	 */
	public synchronized void streamHeartbeat(Duration interval) {
		this.faults.streamHeartbeat(interval);
	}

	/** Drop every stream this long after it opened (never, unless set). */
	public synchronized void streamLifetime(Duration lifetime) {
		this.faults.streamLifetime(lifetime);
	}

	/** Forget sessions, faults, delays, the request count and the request log. */
	public synchronized void reset() {
		this.sessions.clear();
		this.faults.clear();
		this.requests.clear();
	}

	/** Requests received by the events endpoint, faulted ones included. */
	public synchronized int requestCount() {
		return this.requests.eventRequests();
	}

	/** Reads of session objects received, faulted ones included. */
	public synchronized int sessionReads() {
		return this.requests.sessionReads();
	}

	/** Stream requests received, refused ones included. */
	public synchronized int streamOpens() {
		return this.requests.streamOpens();
	}

	/** Streams of the session open now. */
	public synchronized int openStreams(String sessionId) {
		return this.requests.openStreams(sessionId);
	}

	/** The most streams of the session that were ever open at once. */
	public synchronized int mostOpenStreams(String sessionId) {
		return this.requests.mostOpenStreams(sessionId);
	}

	/**
	 * Path and decoded query of every request received, e.g.
	 * {@code /sessions/sess_…/events?limit=100}.
	 */
	public synchronized List<String> requestLog() {
		return this.requests.log();
	}

	/**
	 * When each request of the {@link #requestLog() log} arrived, on the wall clock, in
	 * the log's order.
	 */
	public synchronized List<Instant> requestArrivals() {
		return this.requests.arrivals();
	}

	/** {@code GET /sessions/{sessionId}/events}. */
	public SimulatedResponse listEvents(String authorization, String accept, String sessionId,
			Map<String, String> query) {
		return this.endpoints.listEvents(authorization, accept, sessionId, query);
	}

	/**
	 * {@code GET /sessions/{sessionId}/events/stream}: the events after
	 * {@code lastEventId} as server-sent events, then each new one as it is appended,
	 * with heartbeat comments; without a {@code Last-Event-ID} it starts at the tail, and
	 * an id the session does not hold answers 400. The stream ends after a terminal
	 * event, when the session is deleted, at an injected drop, or after the lifetime.
	 */
	public SimulatedEventStream streamEvents(String authorization, String sessionId, String lastEventId) {
		return this.endpoints.streamEvents(authorization, sessionId, lastEventId);
	}

	/** {@code GET /sessions/{sessionId}}: the session object. */
	public SimulatedResponse getSession(String authorization, String sessionId) {
		return this.endpoints.getSession(authorization, sessionId);
	}

	/** {@code GET /sessions}: the sessions, newest first. */
	public SimulatedResponse listSessions(String authorization, Map<String, String> query) {
		return listSessions(authorization, query, List.of());
	}

	/**
	 * {@code GET /sessions}: the sessions, newest first, only those in one of
	 * {@code statuses} when there are any, archived ones only with
	 * {@code include_archived=true}.
	 */
	public SimulatedResponse listSessions(String authorization, Map<String, String> query, List<String> statuses) {
		return this.endpoints.listSessions(authorization, query, statuses);
	}

	private List<PageQuery.Item> items(String sessionId) {
		SimulatedSession session = this.sessions.get(sessionId);
		return (session != null) ? session.events() : List.of();
	}

}
