package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.QoderProperties;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The one client of the Qoder Cloud Agents API: the requests it sends (event pages, the
 * session object, the session list, the event stream), their paging, and the client-wide
 * request pace. Base URL, bearer token, timeouts, retries and the mapping of every
 * outcome to a {@link FetchResult} are its {@link UpstreamTransport}'s. It never throws
 * for what the upstream does.
 */
@Component
public class QoderClient {

	private static final String PURPOSE_EVENTS = "events";

	private static final String PURPOSE_SNAPSHOT = "snapshot";

	private static final String PURPOSE_SWEEP = "sweep";

	private static final String PURPOSE_STREAM = "stream";

	private final QoderProperties.Upstream properties;

	private final PageParser parser;

	private final RequestGate gate;

	private final UpstreamTransport transport;

	private final Counter pagesFetched;

	QoderClient(WebClient.Builder builder, QoderProperties properties, MeterRegistry meters, RequestGate gate,
			Clock clock) {
		this.properties = properties.upstream();
		if (!StringUtils.hasText(this.properties.token())) {
			throw new MissingSettingException(
					"No token for the Qoder API: qoder.upstream.token (environment QODER_PAT) is missing or empty.",
					"Set QODER_PAT (or qoder.upstream.token) to a Qoder personal access token or service-account"
							+ " JWT. To try the service without one, run the demo: ./mvnw spring-boot:test-run");
		}
		this.parser = new PageParser();
		this.gate = gate;
		this.transport = new UpstreamTransport(builder, this.properties, this.parser, gate, clock, meters);
		Gauge.builder("qoder.upstream.budget.used", gate, RequestGate::usedShare)
			.description("Share of the client-wide request cap used over the last 10 seconds")
			.register(meters);
		this.pagesFetched = Counter.builder("qoder.pages.fetched")
			.description("Event pages fetched from the upstream")
			.register(meters);
	}

	/**
	 * One page of a session's events after {@code afterId} (from the start when null).
	 */
	public FetchResult<EventPage> listEvents(String sessionId, String afterId) {
		SessionIds.require(sessionId);
		FetchResult<EventPage> result = this.transport.get(PURPOSE_EVENTS, (uri) -> {
			uri.path("/sessions/{session}/events").queryParam("limit", this.properties.pageSize());
			return (afterId != null) ? uri.queryParam("after_id", "{after}").build(sessionId, afterId)
					: uri.build(sessionId);
		}, this.parser::parseEvents);
		if (result instanceof FetchResult.Success) {
			this.pagesFetched.increment();
		}
		return result;
	}

	/**
	 * The session object: status, model and cumulative credits. Under the same request
	 * cap and failure mapping as every request.
	 */
	public FetchResult<SessionSnapshot> getSession(String sessionId) {
		SessionIds.require(sessionId);
		return this.transport.get(PURPOSE_SNAPSHOT, (uri) -> uri.path("/sessions/{session}").build(sessionId),
				(body, requestId) -> this.parser.parseSession(body));
	}

	/**
	 * The session's event stream ({@code GET /sessions/{id}/events/stream}), resumed
	 * after {@code lastEventId}. The open request passes the request cap on the caller's
	 * thread (it may wait for a slot); frames then arrive on Reactor Netty's event loop.
	 * Never fails: a response other than 200, or a transport error, is one
	 * {@link StreamFrame.Kind#FAILED} frame; the flux completes when the upstream closes
	 * the stream, and cancelling it closes the connection.
	 * @param lastEventId the stored cursor; required, since a stream opened without one
	 * starts at the tail and skips events
	 */
	public Flux<StreamFrame> streamEvents(String sessionId, String lastEventId) {
		SessionIds.require(sessionId);
		Objects.requireNonNull(lastEventId, "a stream is resumed from a stored cursor");
		return this.transport.stream(PURPOSE_STREAM,
				(uri) -> uri.path("/sessions/{session}/events/stream").build(sessionId), lastEventId);
	}

	/**
	 * One page of the account's sessions, the first when {@code previous} is null, else
	 * the one after it ({@code next_page} when the upstream sent one, else
	 * {@code after_id}).
	 */
	public FetchResult<SessionPage> listSessions(SessionQuery query, SessionPage previous) {
		return this.transport.get(PURPOSE_SWEEP, (uri) -> {
			uri.path("/sessions").queryParam("limit", 100);
			if (query.includeArchived()) {
				uri.queryParam("include_archived", true);
			}
			for (int i = 0; i < query.statuses().size(); i++) {
				uri.queryParam("statuses[]", "{status" + i + "}");
			}
			Map<String, Object> values = new HashMap<>();
			for (int i = 0; i < query.statuses().size(); i++) {
				values.put("status" + i, query.statuses().get(i));
			}
			if (previous != null && previous.nextPage() != null) {
				uri.queryParam("page", "{page}");
				values.put("page", previous.nextPage());
			}
			else if (previous != null) {
				uri.queryParam("after_id", "{after}");
				values.put("after", previous.lastId());
			}
			return uri.build(values);
		}, (body, requestId) -> this.parser.parseSessions(body));
	}

	/**
	 * How long the request slots already handed out (and any pause) keep the client busy
	 * from now; zero when a request could be sent at once.
	 */
	public Duration backlog() {
		return this.gate.backlog();
	}

	/**
	 * Until when the whole client sends nothing (a 429 or a rejected token); a past
	 * instant when not paused.
	 */
	public Instant pausedUntil() {
		return this.gate.pausedUntil();
	}

	/** Stops every request until the given instant. */
	public void pauseUntil(Instant until) {
		this.gate.pauseUntil(until);
	}

	/** Lifts a pause early, e.g. after the token was replaced. */
	public void resume() {
		this.gate.resume();
	}

	/** The last 401 the upstream answered, or null once a request succeeds again. */
	public UpstreamFailure<?> authorizationFailure() {
		return this.transport.authorizationFailure();
	}

	/**
	 * Whether any request has succeeded since the start: only then is the token known
	 * good.
	 */
	public boolean hasSucceeded() {
		return this.transport.hasSucceeded();
	}

}
