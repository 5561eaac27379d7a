package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.upstream.UpstreamFailure.Kind;

/**
 * What each answered or failed request leaves behind: its count by purpose and status, a
 * pause of the whole client after a 429, and the token's standing for the health
 * indicator.
 */
final class RequestOutcomes {

	private static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(5);

	private final RequestGate gate;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Counter retryAfterWaits;

	private volatile UpstreamFailure<?> authorizationFailure;

	private volatile boolean succeeded;

	RequestOutcomes(RequestGate gate, Clock clock, MeterRegistry meters) {
		this.gate = gate;
		this.clock = clock;
		this.meters = meters;
		this.retryAfterWaits = Counter.builder("qoder.upstream.retry.after.waits")
			.description("Pauses of the whole client for a 429 Retry-After")
			.register(meters);
	}

	/** Records the outcome of one request sent for {@code purpose}. */
	void record(String purpose, FetchResult<?> result) {
		count(purpose, result);
		pauseOnRateLimit(result);
		rememberAuthorization(result);
	}

	/** The last 401 the upstream answered, or null once a request succeeds again. */
	UpstreamFailure<?> authorizationFailure() {
		return this.authorizationFailure;
	}

	/** Whether any request has succeeded since the start. */
	boolean hasSucceeded() {
		return this.succeeded;
	}

	/**
	 * Counts the request by what it was for and its HTTP status, or the failure kind when
	 * none came.
	 */
	private void count(String purpose, FetchResult<?> result) {
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

}
