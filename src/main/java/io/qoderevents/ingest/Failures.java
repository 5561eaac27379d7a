package io.qoderevents.ingest;

import io.qoderevents.upstream.UpstreamFailure;

/** How ingestion's log lines describe an upstream failure. */
public final class Failures {

	private Failures() {
	}

	/**
	 * The failure as {@code status=... type=... request_id=... message=...}; the status
	 * is the failure's kind when there was no HTTP response.
	 */
	public static String describe(UpstreamFailure<?> failure) {
		Object status = (failure.httpStatus() != null) ? failure.httpStatus() : failure.kind();
		return "status=" + status + " type=" + failure.errorType() + " request_id=" + failure.requestId() + " message="
				+ failure.message();
	}

}
