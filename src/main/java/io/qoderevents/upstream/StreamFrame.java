package io.qoderevents.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import tools.jackson.core.JacksonException;

/**
 * What one frame of a session's event stream means to the ingester.
 *
 * @param kind what the frame is
 * @param event the event of an {@link Kind#EVENT} frame, as received, else null
 * @param failure what an {@link Kind#ERROR} frame or a {@link Kind#FAILED} stream said,
 * else null
 */
public record StreamFrame(Kind kind, UpstreamEvent event, UpstreamFailure<?> failure) {

	private static final Set<String> HEARTBEATS = Set.of("ping", "heartbeat");

	private static final Set<String> DELTAS = Set.of("event_start", "event_delta");

	static final StreamFrame HEARTBEAT = new StreamFrame(Kind.HEARTBEAT, null, null);

	static final StreamFrame DELTA = new StreamFrame(Kind.DELTA, null, null);

	/** The kinds of frames. */
	public enum Kind {

		/** An event to store. */
		EVENT,
		/**
		 * A {@code : heartbeat} comment, or a {@code ping} or {@code heartbeat} frame.
		 */
		HEARTBEAT,
		/** An {@code event_start} or {@code event_delta} frame: nothing to store. */
		DELTA,
		/** An {@code error} frame: the stream is over. */
		ERROR,
		/** The stream could not be opened or broke off (never a clean end). */
		FAILED

	}

	static StreamFrame failed(UpstreamFailure<?> failure) {
		return new StreamFrame(Kind.FAILED, null, failure);
	}

	/** Classifies a decoded frame; the data of an event frame is kept verbatim. */
	static StreamFrame of(SseDecoder.Frame frame, String requestId, PageParser parser) {
		String name = frame.event();
		String data = frame.data();
		if (name != null && HEARTBEATS.contains(name)) {
			return HEARTBEAT;
		}
		if (name != null && DELTAS.contains(name)) {
			return DELTA;
		}
		if ("error".equals(name)) {
			PageParser.ErrorBody error = parser
				.parseError((data != null) ? data.getBytes(StandardCharsets.UTF_8) : new byte[0]);
			return new StreamFrame(Kind.ERROR, null,
					new UpstreamFailure<>(UpstreamFailure.Kind.SERVER_ERROR, 200,
							(error.type() != null) ? error.type() : "stream_error",
							(error.message() != null) ? error.message() : "the upstream sent an error frame",
							(error.requestId() != null) ? error.requestId() : requestId, null));
		}
		if (data == null || data.isBlank()) {
			return HEARTBEAT;
		}
		return new StreamFrame(Kind.EVENT, event(data), null);
	}

	private static UpstreamEvent event(String data) {
		try {
			return UpstreamEvent.of(data);
		}
		catch (JacksonException ex) {
			return UpstreamEvent.notJson(data);
		}
	}

}
