package io.qoderevents.ingest;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.qoderevents.upstream.SessionAttribution;
import io.qoderevents.upstream.SessionSnapshot;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The upstream's session snapshots: when one is due, and the last one read (by a snapshot
 * read or a sweep), with the session's attribution, overwritten by each read.
 */
@Repository
class JdbcSnapshotRepository {

	private static final String READS = """
			select read_at, read_tried_at, events_stored_at from session_snapshot where session_id = :sessionId
			""";

	private static final String SAVE = """
			insert into session_snapshot (session_id, status, title, model, total_credits, active_seconds, updated_at,
			                              read_at, read_tried_at, agent_id, agent_name, agent_version, environment_id,
			                              metadata)
			values (:sessionId, :status, :title, :model, :totalCredits, :activeSeconds, :updatedAt, :readAt, :readAt,
			        :agentId, :agentName, :agentVersion, :environmentId, cast(:metadata as jsonb))
			on conflict (session_id) do update
			set status = excluded.status, title = excluded.title, model = excluded.model,
			    total_credits = excluded.total_credits, active_seconds = excluded.active_seconds,
			    updated_at = excluded.updated_at, read_at = excluded.read_at, read_tried_at = excluded.read_tried_at,
			    agent_id = excluded.agent_id, agent_name = excluded.agent_name, agent_version = excluded.agent_version,
			    environment_id = excluded.environment_id, metadata = excluded.metadata
			""";

	private static final String TRIED = """
			update session_snapshot set read_tried_at = :triedAt where session_id = :sessionId
			""";

	private static final String TRACKED = "select session_id from tracked_session where session_id in (:ids)";

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate batch;

	JdbcSnapshotRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	/** When the session's snapshot was last read, and its events last stored. */
	Optional<Reads> reads(String sessionId) {
		return this.jdbc.sql(READS)
			.param("sessionId", sessionId)
			.query((rs, n) -> new Reads(rs.getObject("read_at", OffsetDateTime.class),
					rs.getObject("read_tried_at", OffsetDateTime.class),
					rs.getObject("events_stored_at", OffsetDateTime.class)))
			.optional();
	}

	/** Overwrites the session's snapshot with one read at {@code readAt}. */
	void save(String sessionId, SessionSnapshot snapshot, OffsetDateTime readAt) {
		this.jdbc.sql(SAVE).paramSource(parameters(sessionId, snapshot, readAt)).update();
	}

	/** Notes a failed read at {@code triedAt}: the next waits an interval. */
	void tried(String sessionId, OffsetDateTime triedAt) {
		this.jdbc.sql(TRIED).param("sessionId", sessionId).param("triedAt", triedAt).update();
	}

	/**
	 * Overwrites the snapshots of the listed sessions that are tracked, in one batch (the
	 * first of a session listed twice).
	 * @return the ids of the tracked sessions among them
	 */
	List<String> saveListed(List<SessionSnapshot> listed, OffsetDateTime readAt) {
		if (listed.isEmpty()) {
			return List.of();
		}
		Set<String> tracked = new HashSet<>(this.jdbc.sql(TRACKED)
			.param("ids", listed.stream().map(SessionSnapshot::sessionId).toList())
			.query(String.class)
			.list());
		List<SessionSnapshot> saved = listed.stream()
			.filter((snapshot) -> tracked.remove(snapshot.sessionId()))
			.toList();
		this.batch.batchUpdate(SAVE,
				saved.stream()
					.map((snapshot) -> parameters(snapshot.sessionId(), snapshot, readAt))
					.toArray(SqlParameterSource[]::new));
		return saved.stream().map(SessionSnapshot::sessionId).toList();
	}

	private static SqlParameterSource parameters(String sessionId, SessionSnapshot snapshot, OffsetDateTime readAt) {
		SessionAttribution attribution = snapshot.attribution();
		return new MapSqlParameterSource().addValue("sessionId", sessionId)
			.addValue("status", snapshot.status())
			.addValue("title", snapshot.title())
			.addValue("model", snapshot.model())
			.addValue("totalCredits", snapshot.totalCredits())
			.addValue("activeSeconds", snapshot.activeSeconds())
			.addValue("updatedAt", snapshot.updatedAt())
			.addValue("readAt", readAt)
			.addValue("agentId", attribution.agentId())
			.addValue("agentName", attribution.agentName())
			.addValue("agentVersion", attribution.agentVersion())
			.addValue("environmentId", attribution.environmentId())
			.addValue("metadata", attribution.metadata(), Types.VARCHAR);
	}

	/**
	 * The times that decide whether a snapshot is due.
	 *
	 * @param readAt when the snapshot was last read, or null
	 * @param triedAt when a read was last tried (successful or not), or null
	 * @param eventsStoredAt when events of the session were last stored, or null
	 */
	record Reads(OffsetDateTime readAt, OffsetDateTime triedAt, OffsetDateTime eventsStoredAt) {

		boolean stale() {
			return this.eventsStoredAt != null && (this.readAt == null || this.eventsStoredAt.isAfter(this.readAt));
		}

	}

}
