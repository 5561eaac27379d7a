package io.qoderevents.upstream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

/**
 * The one client of the Qoder Cloud Agents API: base URL, bearer token, timeouts, the
 * client-wide request pace, and the mapping of every outcome to a {@link FetchResult}. It
 * never throws for what the upstream does.
 */
@Component
public class QoderClient {

	private static final Logger logger = LoggerFactory.getLogger(QoderClient.class);

	/**
	 * Wait for a request slot inside a poll at most this long; longer pauses end the poll
	 * early.
	 */
	private static final Duration MAX_SLOT_WAIT = Duration.ofSeconds(5);

	private static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(5);

	private static final String PURPOSE_EVENTS = "events";

	private static final String PURPOSE_SNAPSHOT = "snapshot";

	private static final String PURPOSE_SWEEP = "sweep";

	private static final String PURPOSE_STREAM = "stream";

	private final WebClient webClient;

	private final QoderProperties.Upstream properties;

	private final PageParser parser;

	private final RequestGate gate;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Counter retryAfterWaits;

	private final Counter pagesFetched;

	private volatile UpstreamFailure<?> authorizationFailure;

	private volatile boolean succeeded;

	QoderClient(WebClient.Builder builder, QoderProperties properties, MeterRegistry meters, RequestGate gate,
			Clock clock) {
		this.properties = properties.upstream();
		if (!StringUtils.hasText(this.properties.token())) {
			throw new MissingSettingException(
					"No token for the Qoder API: qoder.upstream.token (environment QODER_PAT) is missing or empty.",
					"Set QODER_PAT (or qoder.upstream.token) to a Qoder personal access token or service-account"
							+ " JWT. To try the service without one, run the demo: ./mvnw spring-boot:test-run");
		}
		this.clock = clock;
		this.meters = meters;
		this.parser = new PageParser();
		this.gate = gate;
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.properties.connectTimeout().toMillis());
		this.webClient = builder.clone()
			.baseUrl(this.properties.baseUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs((codecs) -> codecs.defaultCodecs()
				.maxInMemorySize((int) Math.min(Integer.MAX_VALUE, this.properties.maxResponseSize().toBytes())))
			.defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
			.build();
		this.retryAfterWaits = Counter.builder("qoder.upstream.retry.after.waits")
			.description("Pauses of the whole client for a 429 Retry-After")
			.register(meters);
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
		if (!SessionIds.isValid(sessionId)) {
			throw new IllegalArgumentException("Not a Qoder session id");
		}
		FetchResult<EventPage> result = get(PURPOSE_EVENTS, (uri) -> {
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
		if (!SessionIds.isValid(sessionId)) {
			throw new IllegalArgumentException("Not a Qoder session id");
		}
		return get(PURPOSE_SNAPSHOT, (uri) -> uri.path("/sessions/{session}").build(sessionId),
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
		if (!SessionIds.isValid(sessionId)) {
			throw new IllegalArgumentException("Not a Qoder session id");
		}
		Objects.requireNonNull(lastEventId, "a stream is resumed from a stored cursor");
		UpstreamFailure<?> notSent = acquireSlot();
		if (notSent != null) {
			return Flux.just(StreamFrame.failed(notSent));
		}
		AtomicBoolean answered = new AtomicBoolean();
		return this.webClient.get()
			.uri("/sessions/{session}/events/stream", sessionId)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				headers.setBearerAuth(this.properties.token());
				headers.set("Last-Event-ID", lastEventId);
			})
			.exchangeToFlux((response) -> {
				answered.set(true);
				HttpHeaders headers = response.headers().asHttpHeaders();
				int status = response.statusCode().value();
				if (status == 200) {
					FetchResult<Void> opened = new FetchResult.Success<>(null);
					countRequest(PURPOSE_STREAM, opened);
					rememberAuthorization(opened);
					String requestId = headers.getFirst("x-request-id");
					SseDecoder decoder = new SseDecoder(this.properties.maxResponseSize().toBytes());
					return response.bodyToFlux(DataBuffer.class)
						.concatMapIterable((buffer) -> decoder.feed(bytes(buffer)))
						.map((frame) -> StreamFrame.of(frame, requestId, this.parser));
				}
				return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map((body) -> {
					FetchResult<Void> result = toResult(status, headers, body, (bytes, id) -> null);
					countRequest(PURPOSE_STREAM, result);
					pauseOnRateLimit(result);
					rememberAuthorization(result);
					return StreamFrame.failed((UpstreamFailure<?>) result);
				}).flux();
			})
			.onErrorResume((ex) -> {
				UpstreamFailure<Void> failure = transportFailure(ex);
				if (!answered.get()) {
					countRequest(PURPOSE_STREAM, failure);
				}
				return Mono.just(StreamFrame.failed(failure));
			});
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * One page of the account's sessions, the first when {@code previous} is null, else
	 * the one after it ({@code next_page} when the upstream sent one, else
	 * {@code after_id}).
	 */
	public FetchResult<SessionPage> listSessions(SessionQuery query, SessionPage previous) {
		return get(PURPOSE_SWEEP, (uri) -> {
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
		return this.authorizationFailure;
	}

	/**
	 * Whether any request has succeeded since the start: only then is the token known
	 * good.
	 */
	public boolean hasSucceeded() {
		return this.succeeded;
	}

	/**
	 * Sends a request, retrying within the call what lasts one request: a transient
	 * failure (5xx, timeout, reset, a malformed 200) up to {@code max-attempts} in all
	 * with a short, jittered, capped delay, and a 429 (as often) once the whole client
	 * has waited its {@code Retry-After}, when that is short; a longer one is handed to
	 * the schedule. A blocking loop rather than Reactor's {@code Retry}: every attempt
	 * must pass the blocking request gate on the caller's thread, which a resubscription
	 * on Reactor's timer threads would not.
	 */
	private <T> FetchResult<T> get(String purpose, Function<UriBuilder, URI> uri, PageReader<T> reader) {
		int transientFailures = 0;
		int rateLimits = 0;
		while (true) {
			FetchResult<T> result = send(purpose, uri, reader);
			if (!(result instanceof UpstreamFailure<T> failure)) {
				return result;
			}
			if (failure.kind() == Kind.RATE_LIMITED) {
				boolean shortPause = !this.gate.pausedUntil().isAfter(this.clock.instant().plus(MAX_SLOT_WAIT));
				if (++rateLimits >= this.properties.maxAttempts() || !shortPause) {
					return failure;
				}
				countRetry(failure);
				continue;
			}
			if (!isTransient(failure) || ++transientFailures >= this.properties.maxAttempts()) {
				return failure;
			}
			countRetry(failure);
			if (!pause(retryDelay(transientFailures))) {
				return failure;
			}
		}
	}

	/**
	 * One request through the gate, with its side effects on pace, health and metrics.
	 */
	private <T> FetchResult<T> send(String purpose, Function<UriBuilder, URI> uri, PageReader<T> reader) {
		UpstreamFailure<T> notSent = acquireSlot();
		if (notSent != null) {
			return notSent;
		}
		FetchResult<T> result;
		try {
			result = this.webClient.get()
				.uri(uri)
				.headers((headers) -> headers.setBearerAuth(this.properties.token()))
				.exchangeToMono((response) -> read(response, reader))
				.timeout(this.properties.readTimeout())
				.onErrorResume((ex) -> Mono.just(transportFailure(ex)))
				.block();
		}
		catch (RuntimeException ex) {
			result = transportFailure(ex);
		}
		countRequest(purpose, result);
		pauseOnRateLimit(result);
		rememberAuthorization(result);
		return result;
	}

	/** Waits for a request slot; the failure to report when none came, else null. */
	private <T> UpstreamFailure<T> acquireSlot() {
		try {
			if (!this.gate.acquire(MAX_SLOT_WAIT)) {
				return new UpstreamFailure<>(Kind.PAUSED, null, "client_paused",
						"the client is paused until " + this.gate.pausedUntil(), null, null);
			}
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new UpstreamFailure<>(Kind.PAUSED, null, "interrupted", "the request was interrupted", null, null);
		}
	}

	private static boolean isTransient(UpstreamFailure<?> failure) {
		return switch (failure.kind()) {
			case SERVER_ERROR, TIMEOUT, CONNECTION -> true;
			case MALFORMED -> !"response_too_large".equals(failure.errorType());
			default -> false;
		};
	}

	/**
	 * The delay before retry n: doubled from {@code retry-delay}, capped, jittered into
	 * [½, 1].
	 */
	private Duration retryDelay(int retry) {
		long initial = this.properties.retryDelay().toMillis();
		long capped = Math.min(initial << Math.min(retry - 1, 16), this.properties.retryMaxDelay().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private void countRetry(UpstreamFailure<?> failure) {
		this.meters.counter("qoder.upstream.retries", "kind", failure.kind().name().toLowerCase()).increment();
		logger.debug("Retrying an upstream request after {} (status {}, request {})", failure.kind(),
				failure.httpStatus(), failure.requestId());
	}

	private static boolean pause(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private <T> Mono<FetchResult<T>> read(ClientResponse response, PageReader<T> reader) {
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(new byte[0])
			.map((body) -> toResult(response.statusCode().value(), response.headers().asHttpHeaders(), body, reader));
	}

	private <T> FetchResult<T> toResult(int status, HttpHeaders headers, byte[] body, PageReader<T> reader) {
		String requestId = headers.getFirst("x-request-id");
		if (status == 200) {
			try {
				return new FetchResult.Success<>(reader.read(body, requestId));
			}
			catch (PageParser.MalformedPageException ex) {
				return new UpstreamFailure<>(Kind.MALFORMED, status, "malformed_response", ex.getMessage(), requestId,
						null);
			}
		}
		PageParser.ErrorBody error = this.parser.parseError(body);
		String id = (requestId != null) ? requestId : error.requestId();
		String message = (error.message() != null) ? error.message() : "HTTP " + status + " from the upstream";
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		return new UpstreamFailure<>(kindOf(status), status, (error.type() != null) ? error.type() : "http_" + status,
				message, id, retryAfter);
	}

	/** Classifies a request that got no usable response by the type of its causes. */
	private <T> UpstreamFailure<T> transportFailure(Throwable ex) {
		if (cause(ex, TimeoutException.class, SocketTimeoutException.class, ConnectTimeoutException.class) != null) {
			return new UpstreamFailure<>(Kind.TIMEOUT, null, "timeout",
					"no response within " + this.properties.readTimeout(), null, null);
		}
		if (cause(ex, DataBufferLimitException.class, SseDecoder.FrameTooLargeException.class) != null) {
			return new UpstreamFailure<>(Kind.MALFORMED, 200, "response_too_large",
					"the response is larger than " + this.properties.maxResponseSize(), null, null);
		}
		if (cause(ex, UnknownHostException.class) != null) {
			return new UpstreamFailure<>(Kind.CONNECTION, null, "unknown_host",
					"could not resolve " + this.properties.baseUrl().getHost(), null, null);
		}
		Throwable connection = cause(ex, IOException.class, AbortedException.class,
				PoolAcquirePendingLimitException.class);
		if (connection != null) {
			return new UpstreamFailure<>(Kind.CONNECTION, null, "connection_error",
					connection.getClass().getSimpleName()
							+ ((connection.getMessage() != null) ? ": " + connection.getMessage() : ""),
					null, null);
		}
		logger.warn("Unexpected upstream client error: {}", ex.toString());
		logger.debug("Unexpected upstream client error", ex);
		return new UpstreamFailure<>(Kind.CONNECTION, null, "client_error", rootCause(ex).getClass().getSimpleName(),
				null, null);
	}

	/**
	 * Counts the request by what it was for and its HTTP status, or the failure kind when
	 * none came.
	 */
	private void countRequest(String purpose, FetchResult<?> result) {
		String status = "200";
		if (result instanceof UpstreamFailure<?> failure) {
			status = (failure.httpStatus() != null) ? String.valueOf(failure.httpStatus())
					: failure.kind().name().toLowerCase();
		}
		this.meters.counter("qoder.upstream.requests", "purpose", purpose, "status", status).increment();
	}

	/** After a 429 the whole client waits what the upstream asked for. */
	private void pauseOnRateLimit(FetchResult<?> result) {
		if (result instanceof UpstreamFailure<?> failure && failure.kind() == Kind.RATE_LIMITED) {
			Duration wait = (failure.retryAfter() != null) ? failure.retryAfter() : DEFAULT_RATE_LIMIT_PAUSE;
			this.gate.pauseUntil(this.clock.instant().plus(wait));
			this.retryAfterWaits.increment();
		}
	}

	/** Keeps the last 401 for the health indicator until a request succeeds again. */
	private void rememberAuthorization(FetchResult<?> result) {
		if (result instanceof FetchResult.Success) {
			this.authorizationFailure = null;
			this.succeeded = true;
		}
		else if (result instanceof UpstreamFailure<?> failure && failure.kind() == Kind.UNAUTHORIZED) {
			this.authorizationFailure = failure;
		}
	}

	/**
	 * The first exception in the cause chain of {@code ex} that is one of {@code types},
	 * or null. Netty's resolver, for one, wraps its {@code UnknownHostException} around a
	 * cause of its own.
	 */
	@SafeVarargs
	private static Throwable cause(Throwable ex, Class<? extends Throwable>... types) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			for (Class<? extends Throwable> type : types) {
				if (type.isInstance(cause)) {
					return cause;
				}
			}
		}
		return null;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static Kind kindOf(int status) {
		return switch (status) {
			case 400 -> Kind.BAD_REQUEST;
			case 401 -> Kind.UNAUTHORIZED;
			case 403 -> Kind.FORBIDDEN;
			case 404 -> Kind.NOT_FOUND;
			case 429 -> Kind.RATE_LIMITED;
			default -> (status >= 500) ? Kind.SERVER_ERROR : Kind.CLIENT_ERROR;
		};
	}

	@FunctionalInterface
	private interface PageReader<T> {

		T read(byte[] body, String requestId);

	}

}
