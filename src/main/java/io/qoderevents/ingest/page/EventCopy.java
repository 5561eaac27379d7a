package io.qoderevents.ingest.page;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import io.qoderevents.ingest.turns.Rows.EventRow;

/**
 * A page's new events as the data of one {@code COPY event (...) from stdin} in text
 * format: each payload goes in as the UTF-8 bytes the upstream sent, escaped, and is
 * never decoded to a String and encoded again.
 */
final class EventCopy {

	static final String SQL = "copy event (id, session_id, sequence, type, turn_id, session_thread_id, event_time,"
			+ " payload) from stdin";

	private static final byte[] NULL = { '\\', 'N' };

	private byte[] data;

	private int length;

	private EventCopy(int capacity) {
		this.data = new byte[capacity];
	}

	/** The COPY data of these rows. */
	static EventCopy of(List<EventRow> rows) {
		int capacity = 0;
		for (EventRow row : rows) {
			capacity += row.payload().length + 160;
		}
		EventCopy copy = new EventCopy(capacity + capacity / 16);
		for (EventRow row : rows) {
			copy.text(row.id()).tab().text(row.sessionId()).tab().ascii(Long.toString(row.sequence())).tab();
			copy.text(row.type()).tab().text(row.turnId()).tab().text(row.sessionThreadId()).tab();
			copy.timestamp(row.eventTime()).tab().escaped(row.payload()).end();
		}
		return copy;
	}

	byte[] data() {
		return this.data;
	}

	int length() {
		return this.length;
	}

	private EventCopy text(String value) {
		return (value != null) ? escaped(value.getBytes(StandardCharsets.UTF_8)) : raw(NULL);
	}

	private EventCopy timestamp(OffsetDateTime at) {
		return (at != null) ? ascii(Timestamps.text(at)) : raw(NULL);
	}

	private EventCopy ascii(String value) {
		ensure(value.length());
		for (int i = 0; i < value.length(); i++) {
			this.data[this.length++] = (byte) value.charAt(i);
		}
		return this;
	}

	/**
	 * Appends a value, a backslash before each backslash and the control characters that
	 * COPY's text format reads as separators written as escapes.
	 */
	private EventCopy escaped(byte[] value) {
		ensure(value.length);
		int from = 0;
		for (int i = 0; i < value.length; i++) {
			byte b = value[i];
			byte escape = switch (b) {
				case '\\' -> '\\';
				case '\n' -> 'n';
				case '\r' -> 'r';
				case '\t' -> 't';
				default -> 0;
			};
			if (escape != 0) {
				append(value, from, i - from);
				ensure(2);
				this.data[this.length++] = '\\';
				this.data[this.length++] = escape;
				from = i + 1;
			}
		}
		return append(value, from, value.length - from);
	}

	private EventCopy raw(byte[] value) {
		return append(value, 0, value.length);
	}

	private EventCopy append(byte[] value, int from, int count) {
		ensure(count);
		System.arraycopy(value, from, this.data, this.length, count);
		this.length += count;
		return this;
	}

	private EventCopy tab() {
		ensure(1);
		this.data[this.length++] = '\t';
		return this;
	}

	private void end() {
		ensure(1);
		this.data[this.length++] = '\n';
	}

	private void ensure(int more) {
		if (this.length + more > this.data.length) {
			this.data = Arrays.copyOf(this.data, Math.max(this.data.length * 2, this.length + more));
		}
	}

}
