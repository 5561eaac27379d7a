package io.qoderevents.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a server-sent event stream as its bytes arrive, however they are split: lines
 * end at LF, CRLF or CR, a blank line ends a frame, comment lines ({@code : …}) are
 * heartbeats, and a frame the stream ends inside of is dropped, as the SSE specification
 * asks. Lines are decoded whole, so a UTF-8 character split between chunks stays intact.
 * One decoder per stream; not thread-safe.
 */
final class SseDecoder {

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private final long maxFrameSize;

	private boolean afterCarriageReturn;

	private boolean atStart = true;

	private long frameSize;

	private String id;

	private String event;

	private StringBuilder data;

	private boolean comment;

	SseDecoder(long maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
	}

	/**
	 * The frames these bytes complete.
	 * @throws FrameTooLargeException when one frame exceeds the size limit
	 */
	List<Frame> feed(byte[] bytes) {
		List<Frame> frames = new ArrayList<>();
		for (byte b : bytes) {
			if (this.afterCarriageReturn) {
				this.afterCarriageReturn = false;
				if (b == '\n') {
					continue;
				}
			}
			if (b == '\n' || b == '\r') {
				this.afterCarriageReturn = b == '\r';
				line(this.line.toString(StandardCharsets.UTF_8), frames);
				this.line.reset();
			}
			else {
				if (++this.frameSize > this.maxFrameSize) {
					throw new FrameTooLargeException();
				}
				this.line.write(b);
			}
		}
		return frames;
	}

	private void line(String text, List<Frame> frames) {
		if (this.atStart) {
			this.atStart = false;
			if (text.startsWith("\uFEFF")) {
				text = text.substring(1);
			}
		}
		if (text.isEmpty()) {
			dispatch(frames);
			return;
		}
		if (text.charAt(0) == ':') {
			this.comment = true;
			return;
		}
		int colon = text.indexOf(':');
		String field = (colon < 0) ? text : text.substring(0, colon);
		String value = (colon < 0) ? "" : text.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (field) {
			case "id" -> this.id = value;
			case "event" -> this.event = value;
			case "data" -> {
				if (this.data == null) {
					this.data = new StringBuilder(value);
				}
				else {
					this.data.append('\n').append(value);
				}
			}
			default -> {
			}
		}
	}

	private void dispatch(List<Frame> frames) {
		if (this.data != null || this.event != null || this.comment) {
			frames.add(new Frame(this.id, this.event, (this.data != null) ? this.data.toString() : null));
		}
		this.id = null;
		this.event = null;
		this.data = null;
		this.comment = false;
		this.frameSize = 0;
	}

	/**
	 * One complete frame.
	 *
	 * @param id its {@code id}, or null
	 * @param event its {@code event} name, or null
	 * @param data its {@code data} lines joined by LF, or null for a frame without data
	 * (a comment, a {@code ping})
	 */
	record Frame(String id, String event, String data) {
	}

	/** A frame larger than the response size limit. */
	static class FrameTooLargeException extends RuntimeException {

		FrameTooLargeException() {
			super("a stream frame is larger than the response size limit", null, false, false);
		}

	}

}
