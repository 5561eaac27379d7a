package io.qoderevents.tracking;

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

	private static final String SESSION_KNOWN = """
			select exists (select 1 from tracked_session where session_id = :id)
			    or exists (select 1 from event where session_id = :id)
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

	boolean requestSync(String sessionId) {
		return this.jdbc.sql(REQUEST_SYNC).param("id", sessionId).update() == 1;
	}

	/** Whether the session is tracked or has stored events. */
	boolean sessionKnown(String sessionId) {
		return this.jdbc.sql(SESSION_KNOWN).param("id", sessionId).query(Boolean.class).single();
	}

}
