package io.qoderevents.upstream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

/**
 * How {@link QoderClient} asks: base URL, bearer token, timeouts, the client-wide request
 * gate, retries within a call, and the mapping of every outcome to a {@link FetchResult}
 * with its side effects on pace, health and metrics. Never throws for what the upstream
 * does.
 */
final class UpstreamTransport {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamTransport.class);

	/**
	 * Wait for a request slot inside a poll at most this long; longer pauses end the poll
	 * early.
	 */
	private static final Duration MAX_SLOT_WAIT = Duration.ofSeconds(5);

	private final WebClient webClient;

	private final QoderProperties.Upstream properties;

	private final PageParser parser;

	private final RequestGate gate;

	private final Clock clock;

	private final FailureClassifier failures;

	private final RequestOutcomes outcomes;

	private final RetryLoop retries;

	UpstreamTransport(WebClient.Builder builder, QoderProperties.Upstream properties, PageParser parser,
			RequestGate gate, Clock clock, MeterRegistry meters) {
		this.properties = properties;
		this.parser = parser;
		this.gate = gate;
		this.clock = clock;
		this.failures = new FailureClassifier(properties.readTimeout(), properties.maxResponseSize(),
				properties.baseUrl().getHost());
		this.outcomes = new RequestOutcomes(gate, clock, meters);
		this.retries = new RetryLoop(properties, gate, clock, meters, MAX_SLOT_WAIT);
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
		this.webClient = builder.clone()
			.baseUrl(properties.baseUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(http))
			.codecs((codecs) -> codecs.defaultCodecs()
				.maxInMemorySize((int) Math.min(Integer.MAX_VALUE, properties.maxResponseSize().toBytes())))
			.defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
			.build();
	}

	/**
	 * Sends a request for {@code purpose} (a metrics tag), retrying within the call what
	 * lasts one request (see {@link RetryLoop}), and reads a 200 with {@code reader}.
	 */
	<T> FetchResult<T> get(String purpose, Function<UriBuilder, URI> uri, PageReader<T> reader) {
		return this.retries.run(() -> send(purpose, uri, reader));
	}

	/**
	 * Opens an event stream resumed after {@code lastEventId}: the request passes the
	 * gate on the caller's thread, frames then arrive on Reactor Netty's event loop. A
	 * response other than 200, or a transport error, is one failed frame.
	 */
	Flux<StreamFrame> stream(String purpose, Function<UriBuilder, URI> uri, String lastEventId) {
		UpstreamFailure<?> notSent = acquireSlot();
		if (notSent != null) {
			return Flux.just(StreamFrame.failed(notSent));
		}
		AtomicBoolean answered = new AtomicBoolean();
		return this.webClient.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).headers((headers) -> {
			headers.setBearerAuth(this.properties.token());
			headers.set("Last-Event-ID", lastEventId);
		}).exchangeToFlux((response) -> {
			answered.set(true);
			HttpHeaders headers = response.headers().asHttpHeaders();
			int status = response.statusCode().value();
			if (status == 200) {
				this.outcomes.record(purpose, new FetchResult.Success<>(null));
				String requestId = headers.getFirst("x-request-id");
				SseDecoder decoder = new SseDecoder(this.properties.maxResponseSize().toBytes());
				return response.bodyToFlux(DataBuffer.class)
					.concatMapIterable((buffer) -> decoder.feed(bytes(buffer)))
					.map((frame) -> StreamFrame.of(frame, requestId, this.parser));
			}
			return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map((body) -> {
				FetchResult<Void> result = toResult(status, headers, body, (bytes, id) -> null);
				this.outcomes.record(purpose, result);
				return StreamFrame.failed((UpstreamFailure<?>) result);
			}).flux();
		}).onErrorResume((ex) -> {
			UpstreamFailure<Void> failure = transportFailure(ex);
			if (!answered.get()) {
				this.outcomes.record(purpose, failure);
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

	/** The last 401 the upstream answered, or null once a request succeeds again. */
	UpstreamFailure<?> authorizationFailure() {
		return this.outcomes.authorizationFailure();
	}

	/** Whether any request has succeeded since the start. */
	boolean hasSucceeded() {
		return this.outcomes.hasSucceeded();
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
		this.outcomes.record(purpose, result);
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
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		return FailureClassifier.ofStatus(status, requestId, this.parser.parseError(body), retryAfter);
	}

	/** Classifies a request that got no usable response, logging what was unexpected. */
	private <T> UpstreamFailure<T> transportFailure(Throwable ex) {
		UpstreamFailure<T> failure = this.failures.ofException(ex);
		if (FailureClassifier.UNEXPECTED.equals(failure.errorType())) {
			logger.warn("Unexpected upstream client error: {}", ex.toString());
			logger.debug("Unexpected upstream client error", ex);
		}
		return failure;
	}

	/** Reads the body of a 200 into a page. */
	@FunctionalInterface
	interface PageReader<T> {

		T read(byte[] body, String requestId);

	}

}
