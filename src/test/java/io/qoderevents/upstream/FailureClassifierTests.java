package io.qoderevents.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.netty.channel.ConnectTimeoutException;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure mapping of statuses and exceptions to failures, and of failures to retries.
 */
class FailureClassifierTests {

	private final FailureClassifier classifier = new FailureClassifier(Duration.ofSeconds(30), DataSize.ofMegabytes(64),
			"upstream.test");

	@ParameterizedTest
	@CsvSource({ "400, BAD_REQUEST", "401, UNAUTHORIZED", "403, FORBIDDEN", "404, NOT_FOUND", "429, RATE_LIMITED",
			"405, CLIENT_ERROR", "409, CLIENT_ERROR", "422, CLIENT_ERROR", "499, CLIENT_ERROR", "500, SERVER_ERROR",
			"502, SERVER_ERROR", "503, SERVER_ERROR", "599, SERVER_ERROR", "302, CLIENT_ERROR" })
	void kindOfWhenStatusThenItsKind(int status, Kind kind) {
		assertThat(FailureClassifier.kindOf(status)).isEqualTo(kind);
	}

	@Test
	void ofStatusWhenBodyNamesTheErrorThenItsTypeMessageAndTheHeaderRequestId() {
		UpstreamFailure<Void> failure = FailureClassifier.ofStatus(404, "req_header",
				new PageParser.ErrorBody("not_found_error", "Session not found", "req_body"), null);
		assertThat(failure).isEqualTo(
				new UpstreamFailure<>(Kind.NOT_FOUND, 404, "not_found_error", "Session not found", "req_header", null));
	}

	@Test
	void ofStatusWhenNoHeaderRequestIdThenTheBodysAndTheRetryAfterKept() {
		UpstreamFailure<Void> failure = FailureClassifier.ofStatus(429, null,
				new PageParser.ErrorBody("rate_limit_error", "Slow down", "req_body"), Duration.ofSeconds(7));
		assertThat(failure).isEqualTo(new UpstreamFailure<>(Kind.RATE_LIMITED, 429, "rate_limit_error", "Slow down",
				"req_body", Duration.ofSeconds(7)));
	}

	@Test
	void ofStatusWhenBodySaysNothingThenTypeAndMessageNameTheStatus() {
		UpstreamFailure<Void> failure = FailureClassifier.ofStatus(503, null,
				new PageParser.ErrorBody(null, null, null), null);
		assertThat(failure).isEqualTo(
				new UpstreamFailure<>(Kind.SERVER_ERROR, 503, "http_503", "HTTP 503 from the upstream", null, null));
	}

	static Stream<Arguments> exceptions() {
		return Stream.of(
				Arguments.of(new TimeoutException(), Kind.TIMEOUT, null, "timeout", "no response within PT30S"),
				Arguments.of(new RuntimeException(new SocketTimeoutException("read")), Kind.TIMEOUT, null, "timeout",
						"no response within PT30S"),
				Arguments.of(new ConnectTimeoutException("connect"), Kind.TIMEOUT, null, "timeout",
						"no response within PT30S"),
				Arguments.of(new DataBufferLimitException("too big"), Kind.MALFORMED, 200, "response_too_large",
						"the response is larger than 67108864B"),
				Arguments.of(new RuntimeException(new SseDecoder.FrameTooLargeException()), Kind.MALFORMED, 200,
						"response_too_large", "the response is larger than 67108864B"),
				Arguments.of(new IllegalStateException(new UnknownHostException("upstream.test")), Kind.CONNECTION,
						null, "unknown_host", "could not resolve upstream.test"),
				Arguments.of(new IOException("Connection reset by peer"), Kind.CONNECTION, null, "connection_error",
						"IOException: Connection reset by peer"),
				Arguments.of(new RuntimeException("wrapped", new ConnectException("Connection refused")),
						Kind.CONNECTION, null, "connection_error", "ConnectException: Connection refused"),
				Arguments.of(new AbortedException("Connection has been closed"), Kind.CONNECTION, null,
						"connection_error", "AbortedException: Connection has been closed"),
				Arguments.of(new PoolAcquirePendingLimitException(5, null), Kind.CONNECTION, null, "connection_error",
						"PoolAcquirePendingLimitException"),
				Arguments.of(new IllegalStateException("outer", new NullPointerException()), Kind.CONNECTION, null,
						FailureClassifier.UNEXPECTED, "NullPointerException"),
				Arguments.of(new IllegalArgumentException(), Kind.CONNECTION, null, FailureClassifier.UNEXPECTED,
						"IllegalArgumentException"));
	}

	@ParameterizedTest
	@MethodSource("exceptions")
	void ofExceptionWhenCauseKnownThenItsFailureWithoutResponseDetails(Throwable ex, Kind kind, Integer status,
			String type, String message) {
		assertThat(this.classifier.<Void>ofException(ex))
			.isEqualTo(new UpstreamFailure<>(kind, status, type, message, null, null));
	}

	@Test
	void ofExceptionWhenChainHoldsAConnectionErrorAndATimeoutThenTimeout() {
		Throwable ex = new IOException("reset", new TimeoutException());
		assertThat(this.classifier.<Void>ofException(ex).kind()).isEqualTo(Kind.TIMEOUT);
	}

	@ParameterizedTest
	@CsvSource({ "SERVER_ERROR, http_503, true", "TIMEOUT, timeout, true", "CONNECTION, connection_error, true",
			"CONNECTION, client_error, true", "MALFORMED, malformed_response, true",
			"MALFORMED, response_too_large, false", "RATE_LIMITED, rate_limit_error, false",
			"BAD_REQUEST, invalid_request_error, false", "UNAUTHORIZED, authentication_error, false",
			"FORBIDDEN, permission_error, false", "NOT_FOUND, not_found_error, false", "CLIENT_ERROR, http_409, false",
			"PAUSED, client_paused, false" })
	void isTransientWhenFailureThenOnlyWhatLastsOneRequest(Kind kind, String type, boolean retried) {
		UpstreamFailure<Void> failure = new UpstreamFailure<>(kind, null, type, "", null, null);
		assertThat(FailureClassifier.isTransient(failure)).isEqualTo(retried);
	}

}
