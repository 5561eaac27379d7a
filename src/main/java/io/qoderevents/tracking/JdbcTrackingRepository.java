package io.qoderevents.tracking;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The writes of tracking; a re-tracked session continues after the events already stored.
 */
@Repository
class JdbcTrackingRepository {

	private static final String INSERT = """
			insert into tracked_session (session_id, cursor, event_count)
			select :id,
			       (select id from event where session_id = :id order by sequence desc limit 1),
			       coalesce((select max(sequence) from event where session_id = :id), 0)
			on conflict (session_id) do nothing
			""";

	private static final String DELETE = "delete from tracked_session where session_id = :id";

	private static final String REQUEST_SYNC = """
			update tracked_session set sync_requested = true, next_poll_at = now() where session_id = :id
			""";

	private static final String SNAPSHOTS = """
			select session_id, status, title, model, total_credits, active_seconds, updated_at, read_at
			from session_snapshot where session_id in (:ids) and read_at is not null
			""";

	private final JdbcClient jdbc;

	JdbcTrackingRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	boolean insert(String sessionId) {
		return this.jdbc.sql(INSERT).param("id", sessionId).update() == 1;
	}

	boolean delete(String sessionId) {
		return this.jdbc.sql(DELETE).param("id", sessionId).update() == 1;
	}

	/** The upstream snapshots of these sessions that were read, by session id. */
	Map<String, Snapshot> snapshots(Collection<String> sessionIds) {
		Map<String, Snapshot> snapshots = new HashMap<>();
		if (!sessionIds.isEmpty()) {
			this.jdbc.sql(SNAPSHOTS).param("ids", sessionIds).query((rs, n) -> {
				Long active = rs.getObject("active_seconds", Long.class);
				OffsetDateTime updated = rs.getObject("updated_at", OffsetDateTime.class);
				snapshots.put(rs.getString("session_id"),
						new Snapshot(rs.getString("status"), rs.getString("title"), rs.getString("model"),
								rs.getBigDecimal("total_credits"), active,
								(updated != null) ? updated.toInstant() : null,
								rs.getObject("read_at", OffsetDateTime.class).toInstant()));
				return null;
			}).list();
		}
		return snapshots;
	}

	boolean requestSync(String sessionId) {
		return this.jdbc.sql(REQUEST_SYNC).param("id", sessionId).update() == 1;
	}

}
