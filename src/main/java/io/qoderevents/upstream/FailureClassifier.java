package io.qoderevents.upstream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.qoderevents.upstream.UpstreamFailure.Kind;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.util.unit.DataSize;

/**
 * What went wrong with an upstream request, as a {@link UpstreamFailure}: the kind of an
 * error status, the kind of an exception that left no usable response, and which failures
 * another attempt within the same call may cure. Pure: no I/O, no clock, no logging.
 */
final class FailureClassifier {

	/** The {@link UpstreamFailure#errorType()} of an exception nothing here expected. */
	static final String UNEXPECTED = "client_error";

	private final Duration readTimeout;

	private final DataSize maxResponseSize;

	private final String host;

	/**
	 * A classifier naming these limits in its messages.
	 * @param readTimeout named in a timeout's message
	 * @param maxResponseSize named in a too-large response's message
	 * @param host named when it cannot be resolved
	 */
	FailureClassifier(Duration readTimeout, DataSize maxResponseSize, String host) {
		this.readTimeout = readTimeout;
		this.maxResponseSize = maxResponseSize;
		this.host = host;
	}

	/**
	 * The failure an answer other than 200 stands for.
	 * @param requestId the {@code x-request-id} header, or null; the body's
	 * {@code request_id} is used when it is missing
	 * @param error what the body's {@code error} object says (its fields may be null)
	 * @param retryAfter the wait the {@code Retry-After} header asks for, or null
	 */
	static <T> UpstreamFailure<T> ofStatus(int status, String requestId, PageParser.ErrorBody error,
			Duration retryAfter) {
		String id = (requestId != null) ? requestId : error.requestId();
		String message = (error.message() != null) ? error.message() : "HTTP " + status + " from the upstream";
		String type = (error.type() != null) ? error.type() : "http_" + status;
		return new UpstreamFailure<>(kindOf(status), status, type, message, id, retryAfter);
	}

	static Kind kindOf(int status) {
		return switch (status) {
			case 400 -> Kind.BAD_REQUEST;
			case 401 -> Kind.UNAUTHORIZED;
			case 403 -> Kind.FORBIDDEN;
			case 404 -> Kind.NOT_FOUND;
			case 429 -> Kind.RATE_LIMITED;
			default -> (status >= 500) ? Kind.SERVER_ERROR : Kind.CLIENT_ERROR;
		};
	}

	/**
	 * The failure of a request that got no usable response, by the type of the first
	 * cause of {@code ex} known here; {@link #UNEXPECTED} when none is.
	 */
	<T> UpstreamFailure<T> ofException(Throwable ex) {
		if (cause(ex, TimeoutException.class, SocketTimeoutException.class, ConnectTimeoutException.class) != null) {
			return new UpstreamFailure<>(Kind.TIMEOUT, null, "timeout", "no response within " + this.readTimeout, null,
					null);
		}
		if (cause(ex, DataBufferLimitException.class, SseDecoder.FrameTooLargeException.class) != null) {
			return new UpstreamFailure<>(Kind.MALFORMED, 200, "response_too_large",
					"the response is larger than " + this.maxResponseSize, null, null);
		}
		if (cause(ex, UnknownHostException.class) != null) {
			return new UpstreamFailure<>(Kind.CONNECTION, null, "unknown_host", "could not resolve " + this.host, null,
					null);
		}
		Throwable connection = cause(ex, IOException.class, AbortedException.class,
				PoolAcquirePendingLimitException.class);
		if (connection != null) {
			return new UpstreamFailure<>(Kind.CONNECTION, null, "connection_error",
					connection.getClass().getSimpleName()
							+ ((connection.getMessage() != null) ? ": " + connection.getMessage() : ""),
					null, null);
		}
		return new UpstreamFailure<>(Kind.CONNECTION, null, UNEXPECTED, rootCause(ex).getClass().getSimpleName(), null,
				null);
	}

	/**
	 * Whether the failure lasts one request, so that another attempt within the call may
	 * succeed: a 5xx, a timeout, a connection failure, or a malformed 200 that was not
	 * too large. A 429 is not: it pauses the whole client.
	 */
	static boolean isTransient(UpstreamFailure<?> failure) {
		return switch (failure.kind()) {
			case SERVER_ERROR, TIMEOUT, CONNECTION -> true;
			case MALFORMED -> !"response_too_large".equals(failure.errorType());
			default -> false;
		};
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

}
