package io.qoderevents.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.qoderevents.web.Cursors;
import io.qoderevents.web.ListResponse;
import io.qoderevents.web.NotFoundException;
import io.qoderevents.web.SessionIdParameter;

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

	TrackingService(TrackedSessionRepository sessions, JdbcTrackingRepository writes) {
		this.sessions = sessions;
		this.writes = writes;
	}

	/** Starts tracking a session; tracking one already tracked changes nothing. */
	@Transactional
	public Tracked track(String sessionId) {
		SessionIdParameter.require(sessionId);
		boolean created = this.writes.insert(sessionId);
		return new Tracked(get(sessionId), created);
	}

	@Transactional(readOnly = true)
	public TrackedSessionResponse get(String sessionId) {
		SessionIdParameter.require(sessionId);
		return this.sessions.findById(sessionId)
			.map((session) -> withSnapshots(List.of(session.toResponse())).get(0))
			.orElseThrow(() -> new NotFoundException("Session " + sessionId + " is not tracked"));
	}

	@Transactional(readOnly = true)
	ListResponse<TrackedSessionResponse> list(SessionState state, int limit, String cursor) {
		List<String> after = Cursors.decode(CURSOR_KIND, cursor, 1);
		String afterId = (after != null) ? after.get(0) : "";
		List<TrackedSession> rows = (state != null)
				? this.sessions.findByStateAndSessionIdGreaterThanOrderBySessionId(state, afterId, Limit.of(limit + 1))
				: this.sessions.findBySessionIdGreaterThanOrderBySessionId(afterId, Limit.of(limit + 1));
		boolean more = rows.size() > limit;
		List<TrackedSession> page = more ? rows.subList(0, limit) : rows;
		String next = more ? Cursors.encode(CURSOR_KIND, page.get(page.size() - 1).sessionId()) : null;
		return new ListResponse<>(withSnapshots(page.stream().map(TrackedSession::toResponse).toList()), next);
	}

	private List<TrackedSessionResponse> withSnapshots(List<TrackedSessionResponse> sessions) {
		Map<String, Snapshot> snapshots = this.writes
			.snapshots(sessions.stream().map(TrackedSessionResponse::sessionId).toList());
		return sessions.stream().map((session) -> session.withSnapshot(snapshots.get(session.sessionId()))).toList();
	}

	/** Stops tracking; the stored events stay. */
	@Transactional
	public void untrack(String sessionId) {
		SessionIdParameter.require(sessionId);
		if (!this.writes.delete(sessionId)) {
			throw new NotFoundException("Session " + sessionId + " is not tracked");
		}
	}

	/** Makes the session due now, whatever its state. */
	@Transactional
	public void requestSync(String sessionId) {
		SessionIdParameter.require(sessionId);
		if (!this.writes.requestSync(sessionId)) {
			throw new NotFoundException("Session " + sessionId + " is not tracked");
		}
	}

	/** Tracked sessions in each state, zero for a state none is in (a gauge). */
	@Transactional(readOnly = true)
	public Map<SessionState, Long> countByState() {
		return this.writes.countByState();
	}

	/**
	 * Now minus the newest stored event time, the largest over active and failing
	 * sessions; zero when there is none (a gauge).
	 */
	@Transactional(readOnly = true)
	public Duration ingestionLag() {
		return this.writes.lag();
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
