package io.qoderevents.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One open event stream of the simulator: where it stands in its session, when it last
 * wrote, and what it writes next. Guarded by its {@link SimulatedQoder}.
 */
final class SimulatedStream {

	/** Ends the stream: the simulator closes the connection after what precedes it. */
	static final String END = "\u0000end";

	private static final Set<String> TERMINAL_TYPES = Set.of("terminated", "session.status_terminated",
			"session.deleted");

	private final String sessionId;

	private final Instant openedAt;

	private int position;

	private int written;

	private Instant lastWrite;

	SimulatedStream(String sessionId, int position, Instant openedAt) {
		this.sessionId = sessionId;
		this.position = position;
		this.openedAt = openedAt;
		this.lastWrite = openedAt;
	}

	String sessionId() {
		return this.sessionId;
	}

	/**
	 * The chunks to write now: injected text due after this many events, new events, or a
	 * heartbeat comment when nothing was written for {@code heartbeat}; {@link #END} last
	 * when the stream ends here (an injected drop, the session gone or terminated, its
	 * lifetime over).
	 * @param events the session's events, or null when it no longer exists
	 * @param injections raw text (null: a drop) waiting for this session's streams
	 */
	List<String> next(List<PageQuery.Item> events, List<Injected> injections, Duration heartbeat, Duration lifetime,
			Instant now) {
		List<String> chunks = new ArrayList<>();
		if (events == null || (lifetime != null && now.isAfter(this.openedAt.plus(lifetime)))) {
			chunks.add(END);
			return chunks;
		}
		while (true) {
			if (inject(injections, chunks)) {
				return chunks;
			}
			if (this.position >= events.size()) {
				break;
			}
			PageQuery.Item event = events.get(this.position++);
			chunks.add(frame(event));
			this.written++;
			if (TERMINAL_TYPES.contains(Json.field(event.json(), "type"))) {
				chunks.add(END);
				return chunks;
			}
		}
		if (chunks.isEmpty() && !now.isBefore(this.lastWrite.plus(heartbeat))) {
			chunks.add(": heartbeat\n\n");
		}
		if (!chunks.isEmpty()) {
			this.lastWrite = now;
		}
		return chunks;
	}

	/** Adds the injections due now; true when one of them drops the connection. */
	private boolean inject(List<Injected> injections, List<String> chunks) {
		for (Iterator<Injected> iterator = injections.iterator(); iterator.hasNext();) {
			Injected injected = iterator.next();
			if (injected.sessionId().equals(this.sessionId) && injected.afterEvents() <= this.written) {
				iterator.remove();
				if (injected.raw() == null) {
					chunks.add(END);
					return true;
				}
				chunks.add(injected.raw());
			}
		}
		return false;
	}

	private static String frame(PageQuery.Item event) {
		StringBuilder frame = new StringBuilder();
		if (event.id() != null) {
			frame.append("id: ").append(event.id()).append('\n');
		}
		String type = Json.field(event.json(), "type");
		if (type != null) {
			frame.append("event: ").append(type).append('\n');
		}
		for (String line : event.json().split("\r\n|\r|\n", -1)) {
			frame.append("data: ").append(line).append('\n');
		}
		return frame.append('\n').toString();
	}

	/**
	 * Raw text for the streams of a session, written once that many events were written.
	 *
	 * @param sessionId the session
	 * @param afterEvents events a stream writes first
	 * @param raw the text, or null to drop the connection there
	 */
	record Injected(String sessionId, int afterEvents, String raw) {
	}

}
