package io.qoderevents.tracking;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.ListResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which Qoder sessions the service ingests. Tracking owns the {@code tracked_session}
 * rows: it creates and deletes them, requests syncs and answers every read; ingest only
 * keeps the poll bookkeeping of the rows it leases.
 */
@Service
public class TrackingService {

	private static final String CURSOR_KIND = "tracked-sessions";

	private final TrackedSessionRepository sessions;

	private final JdbcTrackingRepository writes;

	private final ApplicationEventPublisher events;

	TrackingService(TrackedSessionRepository sessions, JdbcTrackingRepository writes,
			ApplicationEventPublisher events) {
		this.sessions = sessions;
		this.writes = writes;
		this.events = events;
	}

	/** Starts tracking a session; tracking one already tracked changes nothing. */
	@Transactional
	public Tracked track(String sessionId) {
		boolean created = this.writes.insert(sessionId);
		if (created) {
			this.events.publishEvent(new SessionDue(sessionId));
		}
		return new Tracked(get(sessionId), created);
	}

	/**
	 * The tracked session.
	 * @throws UnknownSessionException when it is not tracked
	 */
	@Transactional(readOnly = true)
	public TrackedSessionResponse get(String sessionId) {
		return this.sessions.findById(sessionId)
			.map((session) -> withSnapshots(List.of(session.toResponse())).get(0))
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
	ListResponse<TrackedSessionResponse> list(SessionState state, int limit, String cursor) {
		List<String> after = Cursors.decode(CURSOR_KIND, cursor, 1);
		String afterId = (after != null) ? after.get(0) : "";
		Limit fetch = Limit.of(Keyset.fetchSize(limit));
		List<TrackedSession> rows = (state != null)
				? this.sessions.findByStateAndSessionIdGreaterThanOrderBySessionId(state, afterId, fetch)
				: this.sessions.findBySessionIdGreaterThanOrderBySessionId(afterId, fetch);
		Keyset<TrackedSession> page = Keyset.cut(rows, limit, (row) -> Cursors.encode(CURSOR_KIND, row.sessionId()));
		return new ListResponse<>(withSnapshots(page.rows().stream().map(TrackedSession::toResponse).toList()),
				page.nextCursor());
	}

	private List<TrackedSessionResponse> withSnapshots(List<TrackedSessionResponse> sessions) {
		Map<String, Snapshot> snapshots = this.writes
			.snapshots(sessions.stream().map(TrackedSessionResponse::sessionId).toList());
		return sessions.stream().map((session) -> session.withSnapshot(snapshots.get(session.sessionId()))).toList();
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
		if (!requestSyncIfTracked(sessionId)) {
			throw new UnknownSessionException(sessionId);
		}
	}

	/**
	 * Makes the session due now, whatever its state, when it is tracked; repeating it
	 * before the poll changes nothing. Returns whether it is tracked.
	 */
	@Transactional
	public boolean requestSyncIfTracked(String sessionId) {
		boolean tracked = this.writes.requestSync(sessionId);
		if (tracked) {
			this.events.publishEvent(new SessionDue(sessionId));
		}
		return tracked;
	}

	/** Tracked sessions in each state, zero for a state none is in (a gauge). */
	@Transactional(readOnly = true)
	public Map<SessionState, Long> countByState() {
		return this.writes.countByState();
	}

	/**
	 * How long the most overdue session waiting for a poll (due on schedule, requested or
	 * changed upstream) has waited; zero when none waits (a gauge).
	 */
	@Transactional(readOnly = true)
	public Duration ingestionBehind() {
		return this.writes.behind();
	}

	/**
	 * How many active sessions were last read at most each of {@code bounds} ago, then
	 * how many in all (a gauge histogram).
	 */
	@Transactional(readOnly = true)
	public long[] unreadFor(List<Duration> bounds) {
		return this.writes.unreadFor(bounds);
	}

	/** Starts tracking each session not yet tracked; returns how many were new. */
	@Transactional
	public int trackAll(Collection<String> sessionIds) {
		int created = 0;
		for (String sessionId : sessionIds) {
			created += this.writes.insert(sessionId) ? 1 : 0;
		}
		return created;
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
