package io.qoderevents.upstream;

import java.time.Duration;

/**
 * A failed upstream request.
 *
 * @param <T> the page type the request would have returned
 * @param kind what went wrong
 * @param httpStatus the HTTP status, or null when no response came
 * @param errorType the upstream's {@code error.type}, or a name for the failure when
 * there was none
 * @param message what the upstream said, or what the client observed
 * @param requestId the upstream's {@code x-request-id} (or {@code request_id}), when
 * known
 * @param retryAfter the wait the upstream asked for (429, 503), or null
 */
public record UpstreamFailure<T>(Kind kind, Integer httpStatus, String errorType, String message, String requestId,
		Duration retryAfter) implements FetchResult<T> {

	/** The failure classes the ingester treats differently. */
	public enum Kind {

		/** 400: a bad request or a cursor the upstream does not know. */
		BAD_REQUEST,
		/** 401: the token is invalid or expired. */
		UNAUTHORIZED,
		/** 403: the token may not read this session. */
		FORBIDDEN,
		/** 404: the session (or the cursor) does not exist. */
		NOT_FOUND,
		/** 429: too many requests. */
		RATE_LIMITED,
		/** 5xx. */
		SERVER_ERROR,
		/** Another 4xx. */
		CLIENT_ERROR,
		/** No complete response within the read timeout. */
		TIMEOUT,
		/** Connection refused, reset or closed early. */
		CONNECTION,
		/** A 200 whose body is not the expected JSON page. */
		MALFORMED,
		/** The client is paused (after a 429 or a rejected token) and sent nothing. */
		PAUSED

	}

}
