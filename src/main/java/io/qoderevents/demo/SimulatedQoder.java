package io.qoderevents.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;

/**
 * An in-memory Qoder Cloud Agents API: sessions holding their events as raw JSON text,
 * served in pages as the vendor's contract describes, with injectable faults and delays.
 * Independent of any HTTP transport and thread-safe.
 */
public class SimulatedQoder {

	/** How often an open stream checks for new events. */
	private static final Duration STREAM_TICK = Duration.ofMillis(50);

	private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

	private static final Pattern SESSION_ID = Pattern.compile("sess_[0-9a-f]{32}|ses_[0-9a-fA-F]{32}");

	private final String token;

	private final Map<String, SimulatedSession> sessions = new LinkedHashMap<>();

	private final List<Injection<Response>> faults = new ArrayList<>();

	private final List<Injection<Duration>> delays = new ArrayList<>();

	private final List<Injection<Response>> sessionFaults = new ArrayList<>();

	private final List<Injection<Duration>> sessionDelays = new ArrayList<>();

	private final List<Injection<Response>> listFaults = new ArrayList<>();

	private int sessionReads;

	private final List<String> requestLog = new ArrayList<>();

	private int requestCount;

	private final List<SimulatedStream.Injected> streamInjections = new ArrayList<>();

	private final Map<String, Integer> openStreams = new LinkedHashMap<>();

	private final Map<String, Integer> mostOpenStreams = new LinkedHashMap<>();

	private int streamOpens;

	private Duration streamHeartbeat = DEFAULT_HEARTBEAT;

	private Duration streamLifetime;

	/**
	 * Create a simulator accepting one bearer token.
	 * @param token the token requests must present as
	 * {@code Authorization: Bearer <token>}
	 */
	public SimulatedQoder(String token) {
		this.token = Objects.requireNonNull(token, "token");
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
		if (!SESSION_ID.matcher(sessionId).matches()) {
			throw new IllegalArgumentException("Invalid session id " + sessionId);
		}
		this.sessions.computeIfAbsent(sessionId, (id) -> new SimulatedSession(id, Instant.now(), shape));
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
		eventsJson.forEach((json) -> session.append(Objects.requireNonNull(json, "eventJson"), Instant.now()));
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

	/**
	 * Answer the next {@code times} event requests of a session, or of any session when
	 * {@code sessionId} is null, with this status, headers and body (null for none)
	 * instead of processing them.
	 */
	public synchronized void failNext(String sessionId, int times, int status, Map<String, String> headers,
			String body) {
		Map<String, String> copy = (headers != null) ? new LinkedHashMap<>(headers) : new LinkedHashMap<>();
		this.faults.add(new Injection<>(sessionId, new Response(status, copy, (body != null) ? body : ""), times));
	}

	/**
	 * Delay the answer to the next {@code times} event requests of a session, or of any
	 * when null.
	 */
	public synchronized void delayNext(String sessionId, int times, Duration delay) {
		this.delays.add(new Injection<>(sessionId, delay, times));
	}

	/**
	 * Answer the next {@code times} reads of a session object ({@code GET
	 * /sessions/{id}}) with this status and body instead; the events endpoint is not
	 * affected.
	 */
	public synchronized void failNextSessionRead(String sessionId, int times, int status, String body) {
		this.sessionFaults.add(new Injection<>(sessionId, new Response(status, Map.of(), body), times));
	}

	/** Delay the next {@code times} reads of a session object. */
	public synchronized void delayNextSessionRead(String sessionId, int times, Duration delay) {
		this.sessionDelays.add(new Injection<>(sessionId, delay, times));
	}

	/** Reads of session objects received, faulted ones included. */
	public synchronized int sessionReads() {
		return this.sessionReads;
	}

	/** Forget sessions, faults, delays, the request count and the request log. */
	public synchronized void reset() {
		this.sessions.clear();
		this.faults.clear();
		this.delays.clear();
		this.sessionFaults.clear();
		this.sessionDelays.clear();
		this.listFaults.clear();
		this.sessionReads = 0;
		this.requestLog.clear();
		this.requestCount = 0;
		this.streamInjections.clear();
		this.mostOpenStreams.clear();
		this.streamOpens = 0;
		this.streamHeartbeat = DEFAULT_HEARTBEAT;
		this.streamLifetime = null;
	}

	/**
	 * Write this raw text into the next stream of the session once it has written
	 * {@code afterEvents} events (a frame, a comment, or a part of one); null drops the
	 * connection there.
	 */
	public synchronized void injectIntoStream(String sessionId, int afterEvents, String raw) {
		this.streamInjections.add(new SimulatedStream.Injected(sessionId, afterEvents, raw));
	}

	/**
	 * How long an open stream stays quiet before a {@code : heartbeat} comment (3 s
	 * unless set).
	 */
	public synchronized void streamHeartbeat(Duration interval) {
		this.streamHeartbeat = interval;
	}

	/** Drop every stream this long after it opened (never, unless set). */
	public synchronized void streamLifetime(Duration lifetime) {
		this.streamLifetime = lifetime;
	}

	/** Stream requests received, refused ones included. */
	public synchronized int streamOpens() {
		return this.streamOpens;
	}

	/** Streams of the session open now. */
	public synchronized int openStreams(String sessionId) {
		return this.openStreams.getOrDefault(sessionId, 0);
	}

	/** The most streams of the session that were ever open at once. */
	public synchronized int mostOpenStreams(String sessionId) {
		return this.mostOpenStreams.getOrDefault(sessionId, 0);
	}

	/** Requests received by the events endpoint, faulted ones included. */
	public synchronized int requestCount() {
		return this.requestCount;
	}

	/**
	 * Path and decoded query of every request received, e.g.
	 * {@code /sessions/sess_…/events?limit=100}.
	 */
	public synchronized List<String> requestLog() {
		return List.copyOf(this.requestLog);
	}

	/** {@code GET /sessions/{sessionId}/events}. */
	public Response listEvents(String authorization, String accept, String sessionId, Map<String, String> query) {
		String requestId = requestId();
		Duration delay;
		Response fault;
		synchronized (this) {
			this.requestCount++;
			log("/sessions/" + sessionId + "/events", query);
			delay = Injection.take(this.delays, sessionId);
			fault = Injection.take(this.faults, sessionId);
		}
		sleep(delay);
		if (fault != null) {
			Map<String, String> headers = new LinkedHashMap<>(fault.headers());
			headers.putIfAbsent("x-request-id", requestId);
			return new Response(fault.status(), headers, fault.body());
		}
		try {
			authenticate(authorization);
			if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
				throw SimulatedError.invalid("session_id", "session_id must be sess_ and 32 lowercase hex digits");
			}
			PageQuery page = PageQuery.parse((query != null) ? query : Map.of());
			List<PageQuery.Item> events;
			synchronized (this) {
				if (!this.sessions.containsKey(sessionId)) {
					throw new SimulatedError(404, "not_found_error", "Session " + sessionId + " not found", null);
				}
				events = items(sessionId);
			}
			if (accept != null && accept.contains("text/event-stream") && !accept.contains("application/json")) {
				return new Response(200, Map.of("x-request-id", requestId, "Content-Type", "text/event-stream"),
						": stream starts at the tail\n\n");
			}
			return new Response(200, Map.of("x-request-id", requestId), page.render(events));
		}
		catch (SimulatedError ex) {
			return new Response(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	/**
	 * {@code GET /sessions/{sessionId}/events/stream}: the events after
	 * {@code lastEventId} as server-sent events, then each new one as it is appended,
	 * with heartbeat comments; without a {@code Last-Event-ID} it starts at the tail, and
	 * an id the session does not hold answers 400. The stream ends after a terminal
	 * event, when the session is deleted, at an injected drop, or after the lifetime.
	 */
	public EventStream streamEvents(String authorization, String sessionId, String lastEventId) {
		String requestId = requestId();
		synchronized (this) {
			this.streamOpens++;
			log("/sessions/" + sessionId + "/events/stream",
					(lastEventId != null) ? Map.of("last_event_id", lastEventId) : Map.of());
		}
		try {
			authenticate(authorization);
			SimulatedStream stream;
			synchronized (this) {
				if (!this.sessions.containsKey(sessionId)) {
					throw new SimulatedError(404, "not_found_error", "Session " + sessionId + " not found", null);
				}
				List<String> ids = eventIds(sessionId);
				int from = ids.size();
				if (lastEventId != null) {
					int index = ids.indexOf(lastEventId);
					if (index < 0) {
						throw SimulatedError.invalid("Last-Event-ID", "Unknown event id " + lastEventId);
					}
					from = index + 1;
				}
				stream = new SimulatedStream(sessionId, from, Instant.now());
			}
			Flux<String> frames = Flux.interval(Duration.ZERO, STREAM_TICK)
				.onBackpressureDrop()
				.concatMapIterable((tick) -> step(stream))
				.takeUntil(SimulatedStream.END::equals)
				.filter((chunk) -> !SimulatedStream.END.equals(chunk))
				.doOnSubscribe((subscription) -> opened(sessionId, 1))
				.doFinally((signal) -> opened(sessionId, -1));
			return new EventStream(new Response(200,
					Map.of("x-request-id", requestId, "Content-Type", "text/event-stream", "Cache-Control", "no-cache"),
					""), frames);
		}
		catch (SimulatedError ex) {
			return new EventStream(new Response(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId)),
					null);
		}
	}

	private synchronized List<String> step(SimulatedStream stream) {
		SimulatedSession session = this.sessions.get(stream.sessionId());
		return stream.next((session != null) ? session.events() : null, this.streamInjections, this.streamHeartbeat,
				this.streamLifetime, Instant.now());
	}

	private synchronized void opened(String sessionId, int change) {
		int open = this.openStreams.merge(sessionId, change, Integer::sum);
		this.mostOpenStreams.merge(sessionId, open, Math::max);
	}

	/** {@code GET /sessions/{sessionId}}: the session object. */
	public Response getSession(String authorization, String sessionId) {
		String requestId = requestId();
		Duration delay;
		Response fault;
		synchronized (this) {
			this.sessionReads++;
			log("/sessions/" + sessionId, Map.of());
			delay = Injection.take(this.sessionDelays, sessionId);
			fault = Injection.take(this.sessionFaults, sessionId);
		}
		sleep(delay);
		if (fault != null) {
			return new Response(fault.status(), Map.of("x-request-id", requestId), fault.body());
		}
		try {
			authenticate(authorization);
			SimulatedSession session;
			synchronized (this) {
				session = this.sessions.get(sessionId);
				if (session == null) {
					throw new SimulatedError(404, "not_found_error", "Session " + sessionId + " not found", null);
				}
				return new Response(200, Map.of("x-request-id", requestId), session.item().json());
			}
		}
		catch (SimulatedError ex) {
			return new Response(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	/** {@code GET /sessions}: the sessions, newest first. */
	public Response listSessions(String authorization, Map<String, String> query) {
		return listSessions(authorization, query, List.of());
	}

	/**
	 * {@code GET /sessions}: the sessions, newest first, only those in one of
	 * {@code statuses} when there are any, archived ones only with
	 * {@code include_archived=true}.
	 */
	public Response listSessions(String authorization, Map<String, String> query, List<String> statuses) {
		String requestId = requestId();
		Map<String, String> parameters = (query != null) ? query : Map.of();
		Response fault;
		synchronized (this) {
			log("/sessions", parameters);
			fault = Injection.take(this.listFaults, listPosition(parameters));
		}
		if (fault != null) {
			return new Response(fault.status(), Map.of("x-request-id", requestId), fault.body());
		}
		try {
			authenticate(authorization);
			PageQuery page = PageQuery.parse(parameters);
			boolean archived = "true".equals(parameters.get("include_archived"));
			List<PageQuery.Item> items;
			synchronized (this) {
				items = new ArrayList<>(this.sessions.values()
					.stream()
					.filter((session) -> archived || !session.archived())
					.filter((session) -> statuses == null || statuses.isEmpty() || statuses.contains(session.status()))
					.map(SimulatedSession::item)
					.toList());
			}
			Collections.reverse(items);
			return new Response(200, Map.of("x-request-id", requestId), page.render(items));
		}
		catch (SimulatedError ex) {
			return new Response(ex.status(), Map.of("x-request-id", requestId), ex.body(requestId));
		}
	}

	/**
	 * Answers the next {@code times} session-list requests for the page after
	 * {@code afterSessionId} (the first page when it is {@code ""}, any page when null)
	 * with this status and body instead.
	 */
	public synchronized void failNextSessionList(String afterSessionId, int times, int status, String body) {
		this.listFaults.add(new Injection<>(afterSessionId, new Response(status, Map.of(), body), times));
	}

	/** Archives the session: listed only with {@code include_archived=true}. */
	public synchronized void archiveSession(String sessionId) {
		this.sessions.get(sessionId).archive(Instant.now());
	}

	/** Sets the session's status as the upstream reports it, e.g. {@code running}. */
	public synchronized void setStatus(String sessionId, String status) {
		this.sessions.get(sessionId).status(status, Instant.now());
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

	private List<PageQuery.Item> items(String sessionId) {
		SimulatedSession session = this.sessions.get(sessionId);
		return (session != null) ? session.events() : List.of();
	}

	private void authenticate(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
				|| !authorization.substring(7).equals(this.token)) {
			throw new SimulatedError(401, "authentication_error", "Invalid or expired token", null);
		}
	}

	private void log(String path, Map<String, String> query) {
		String parameters = ((query != null) ? query : Map.<String, String>of()).entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("&"));
		this.requestLog.add(parameters.isEmpty() ? path : path + "?" + parameters);
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

	/**
	 * The answer to a stream request.
	 *
	 * @param head the status and headers; the error body when the stream was refused
	 * @param frames the raw text to write, chunk by chunk, flushing each; null when
	 * refused
	 */
	public record EventStream(Response head, Flux<String> frames) {
	}

	/**
	 * An answer of the simulator.
	 *
	 * @param status the HTTP status
	 * @param headers the response headers, {@code x-request-id} always among them
	 * @param body the body, empty for none
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		public Response {
			headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
			body = (body != null) ? body : "";
		}

		/** The value of a header, matched ignoring case, or {@code null}. */
		public String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(null);
		}

	}

}
