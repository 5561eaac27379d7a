package io.qoderevents.tracking;

import java.util.List;
import java.util.Set;

import io.qoderevents.web.Cursors;
import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.ListResponse;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which Qoder sessions the service ingests. Session ids are validated by the caller (the
 * controllers, or the upstream parser for discovered sessions).
 */
@Service
public class TrackingService {

	static final Set<String> STATES = Set.of("active", "completed", "failing", "not_found", "unauthorized");

	private static final String CURSOR_KIND = "tracked-sessions";

	private final TrackedSessionRepository sessions;

	private final JdbcTrackingRepository writes;

	TrackingService(TrackedSessionRepository sessions, JdbcTrackingRepository writes) {
		this.sessions = sessions;
		this.writes = writes;
	}

	/** Starts tracking a session; tracking one already tracked changes nothing. */
	@Transactional
	public Tracked track(String sessionId) {
		boolean created = this.writes.insert(sessionId);
		return new Tracked(get(sessionId), created);
	}

	/**
	 * The tracked session.
	 * @throws UnknownSessionException when it is not tracked
	 */
	@Transactional(readOnly = true)
	public TrackedSessionResponse get(String sessionId) {
		return this.sessions.findById(sessionId)
			.map(TrackedSession::toResponse)
			.orElseThrow(() -> new UnknownSessionException(sessionId));
	}

	/**
	 * Checks that the session is tracked or has stored events.
	 * @throws NoSuchSessionException when it is neither
	 */
	@Transactional(readOnly = true)
	public void requireKnown(String sessionId) {
		if (!this.writes.sessionKnown(sessionId)) {
			throw new NoSuchSessionException(sessionId);
		}
	}

	@Transactional(readOnly = true)
	ListResponse<TrackedSessionResponse> list(String state, int limit, String cursor) {
		if (state != null && !STATES.contains(state)) {
			throw new InvalidParameterException("state",
					"state must be one of " + String.join(", ", STATES.stream().sorted().toList()));
		}
		List<String> after = Cursors.decode(CURSOR_KIND, cursor, 1);
		String afterId = (after != null) ? after.get(0) : "";
		Limit fetch = Limit.of(Keyset.fetchSize(limit));
		List<TrackedSession> rows = (state != null)
				? this.sessions.findByStateAndSessionIdGreaterThanOrderBySessionId(state, afterId, fetch)
				: this.sessions.findBySessionIdGreaterThanOrderBySessionId(afterId, fetch);
		return Keyset.cut(rows, limit, (row) -> Cursors.encode(CURSOR_KIND, row.sessionId()))
			.map(TrackedSession::toResponse);
	}

	/**
	 * Stops tracking; the stored events stay.
	 * @throws UnknownSessionException when it is not tracked
	 */
	@Transactional
	public void untrack(String sessionId) {
		if (!this.writes.delete(sessionId)) {
			throw new UnknownSessionException(sessionId);
		}
	}

	/**
	 * Makes the session due now, whatever its state.
	 * @throws UnknownSessionException when it is not tracked
	 */
	@Transactional
	public void requestSync(String sessionId) {
		if (!this.writes.requestSync(sessionId)) {
			throw new UnknownSessionException(sessionId);
		}
	}

	/**
	 * The outcome of {@link #track(String)}.
	 *
	 * @param session the tracked session
	 * @param created whether this call started tracking it
	 */
	public record Tracked(TrackedSessionResponse session, boolean created) {
	}

}
