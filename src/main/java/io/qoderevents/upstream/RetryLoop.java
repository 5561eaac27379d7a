package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries within one call what lasts one request: a transient failure (5xx, timeout,
 * reset, a malformed 200) up to {@code max-attempts} in all with a short, jittered,
 * capped delay, and a 429 (as often) once the whole client has waited its
 * {@code Retry-After}, when that is short; a longer one is handed to the schedule. A
 * blocking loop rather than Reactor's {@code Retry}: every attempt must pass the blocking
 * request gate on the caller's thread, which a resubscription on Reactor's timer threads
 * would not.
 */
final class RetryLoop {

	private static final Logger logger = LoggerFactory.getLogger(RetryLoop.class);

	private final QoderProperties.Upstream properties;

	private final RequestGate gate;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Duration longestPause;

	/**
	 * A loop under the client's attempts, delays and request gate.
	 * @param longestPause a 429 whose pause ends later than this from now is not retried
	 */
	RetryLoop(QoderProperties.Upstream properties, RequestGate gate, Clock clock, MeterRegistry meters,
			Duration longestPause) {
		this.properties = properties;
		this.gate = gate;
		this.clock = clock;
		this.meters = meters;
		this.longestPause = longestPause;
	}

	/** The first result of {@code attempt} that is a success or not worth another try. */
	<T> FetchResult<T> run(Supplier<FetchResult<T>> attempt) {
		int transientFailures = 0;
		int rateLimits = 0;
		while (true) {
			FetchResult<T> result = attempt.get();
			if (!(result instanceof UpstreamFailure<T> failure)) {
				return result;
			}
			if (failure.kind() == Kind.RATE_LIMITED) {
				boolean shortPause = !this.gate.pausedUntil().isAfter(this.clock.instant().plus(this.longestPause));
				if (++rateLimits >= this.properties.maxAttempts() || !shortPause) {
					return failure;
				}
				count(failure);
				continue;
			}
			if (!FailureClassifier.isTransient(failure) || ++transientFailures >= this.properties.maxAttempts()) {
				return failure;
			}
			count(failure);
			if (!pause(delay(transientFailures))) {
				return failure;
			}
		}
	}

	/**
	 * The delay before retry n: doubled from {@code retry-delay}, capped, jittered into
	 * [½, 1].
	 */
	private Duration delay(int retry) {
		long initial = this.properties.retryDelay().toMillis();
		long capped = Math.min(initial << Math.min(retry - 1, 16), this.properties.retryMaxDelay().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private void count(UpstreamFailure<?> failure) {
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

}
