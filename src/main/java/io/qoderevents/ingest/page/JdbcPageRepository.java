package io.qoderevents.ingest.page;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.qoderevents.ingest.turns.PagePlan;
import io.qoderevents.ingest.turns.Rows.ErrorRow;
import io.qoderevents.ingest.turns.Rows.EventRow;
import io.qoderevents.ingest.turns.Rows.QuarantineRow;
import io.qoderevents.ingest.turns.Rows.Reassignment;
import io.qoderevents.ingest.turns.Rows.TurnRow;
import io.qoderevents.ingest.turns.Rows.TurnState;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.ingest.turns.Turns;
import io.qoderevents.upstream.UpstreamEvent;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The writes of one page, in its transaction: events, turns, errors, quarantine, the turn
 * state, and through {@link JdbcPageUsageRepository} its usage. The session row's lock
 * and cursor advance are the lease repository's.
 */
@Repository
class JdbcPageRepository {

	private static final String STORED_SESSIONS = "select id, session_id from event where id in (:ids)";

	private static final String STORED_SEQUENCES = """
			select id, sequence from event where session_id = :sessionId and id in (:ids)""";

	private static final String UNIQUE_VIOLATION = "23505";

	/** A stored event derived again from its payload (the upgrade's replay). */
	private static final String REDERIVE_EVENT = """
			update event set turn_id = :turnId, session_thread_id = :sessionThreadId, event_time = :eventTime
			where id = :id
			""";

	private static final String STATE = """
			select open_turn_id, pending_from, last_event_time from session_turn_state where session_id = :sessionId
			""";

	private static final String SAVE_STATE = """
			insert into session_turn_state (session_id, open_turn_id, pending_from, last_event_time)
			values (:sessionId, :openTurnId, :pendingFrom, :lastEventTime)
			on conflict (session_id) do update
			set open_turn_id = excluded.open_turn_id, pending_from = excluded.pending_from,
			    last_event_time = excluded.last_event_time
			""";

	/**
	 * The stored turns a page refers to; whether one paused is read from its usage rows
	 * (the turn's own pause counter is younger than the V10 replay that reads this too).
	 */
	private static final String TURNS = """
			select t.session_id, t.turn_id, t.opened_sequence, t.started_at, t.completed_at, t.stop_reason, t.idle_usage,
			       t.span_tokens,
			       exists (select 1 from turn_usage u
			               where u.session_id = t.session_id and u.turn_id = t.turn_id and u.pauses > 0) as paused
			from turn t where t.session_id = :sessionId and t.turn_id in (:turnIds)
			""";

	private static final String SAVE_TURN = """
			insert into turn (session_id, turn_id, opened_sequence, started_at, completed_at, stop_reason, idle_usage,
			                  span_tokens)
			values (?, ?, ?, cast(? as timestamptz), cast(? as timestamptz), ?, ?, ?)
			on conflict (session_id, turn_id) do update
			set completed_at = excluded.completed_at, stop_reason = excluded.stop_reason,
			    idle_usage = excluded.idle_usage, span_tokens = excluded.span_tokens
			""";

	private static final String REASSIGN = """
			update event set turn_id = :turnId
			where session_id = :sessionId and sequence >= :from and sequence < :to and turn_id is null
			""";

	/** A turn that earlier events joined starts at the first of them. */
	private static final String TURN_STARTED = """
			update turn t
			set started_at = least(t.started_at, e.first_time), opened_sequence = least(t.opened_sequence, :from)
			from (select min(event_time) as first_time from event
			      where session_id = :sessionId and sequence >= :from and sequence < :to) e
			where t.session_id = :sessionId and t.turn_id = :turnId and e.first_time is not null
			""";

	private static final String INSERT_ERROR = """
			insert into session_error (event_id, session_id, turn_id, created_at, error_type, message, message_pattern,
			                           details_name, details_message, retry_status)
			values (:eventId, :sessionId, :turnId, :createdAt, :errorType, :message, :messagePattern,
			        :detailsName, :detailsMessage, :retryStatus)
			on conflict (event_id) do nothing
			""";

	private static final String INSERT_QUARANTINE = """
			insert into quarantined_event (session_id, event_id, reason, raw, fingerprint)
			values (:sessionId, :eventId, :reason, :raw, :fingerprint)
			on conflict (session_id, reason, fingerprint) do nothing
			""";

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate template;

	private final JdbcPageUsageRepository usage;

	JdbcPageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate template, JdbcPageUsageRepository usage) {
		this.jdbc = jdbc;
		this.template = template;
		this.usage = usage;
	}

	/** The session each of these ids is stored under. */
	Map<String, String> storedSessions(Collection<String> ids) {
		Map<String, String> stored = new HashMap<>();
		if (!ids.isEmpty()) {
			this.template.query(STORED_SESSIONS, Map.of("ids", ids),
					(RowCallbackHandler) (row) -> stored.put(row.getString(1), row.getString(2)));
		}
		return stored;
	}

	/** The stored sequence of each of the ids stored for the session. */
	Map<String, Long> storedSequences(String sessionId, Collection<String> ids) {
		Map<String, Long> stored = new HashMap<>();
		if (!ids.isEmpty()) {
			this.template.query(STORED_SEQUENCES, Map.of("sessionId", sessionId, "ids", ids),
					(RowCallbackHandler) (row) -> stored.put(row.getString(1), row.getLong(2)));
		}
		return stored;
	}

	/**
	 * Stores a page's new events with one COPY, the cheapest way into PostgreSQL. The
	 * page's ids were checked under the session's lock, but a page of another session can
	 * have stored one of them since: then the COPY is undone to a savepoint and nothing
	 * is written.
	 * @return false when an id was taken meanwhile: plan the page again
	 */
	boolean insertEvents(List<EventRow> rows) {
		if (rows.isEmpty()) {
			return true;
		}
		EventCopy copy = EventCopy.of(rows);
		return this.template.getJdbcOperations().execute((ConnectionCallback<Boolean>) (connection) -> {
			Savepoint savepoint = connection.setSavepoint();
			try {
				CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(EventCopy.SQL);
				try {
					in.writeToCopy(copy.data(), 0, copy.length());
					in.endCopy();
				}
				finally {
					if (in.isActive()) {
						in.cancelCopy();
					}
				}
			}
			catch (SQLException ex) {
				connection.rollback(savepoint);
				if (UNIQUE_VIOLATION.equals(ex.getSQLState())) {
					return false;
				}
				throw ex;
			}
			connection.releaseSavepoint(savepoint);
			return true;
		});
	}

	/** Where the session's turns stand, with the stored turns these events refer to. */
	PagePlan.History history(String sessionId, List<UpstreamEvent> events) {
		TurnState state = this.jdbc.sql(STATE)
			.param("sessionId", sessionId)
			.query((rs, n) -> new TurnState(rs.getString("open_turn_id"), rs.getObject("pending_from", Long.class),
					rs.getObject("last_event_time", OffsetDateTime.class)))
			.optional()
			.orElse(TurnState.EMPTY);
		Set<String> turnIds = Turns.referenced(state, events);
		Map<String, TurnRow> turns = new HashMap<>();
		if (!turnIds.isEmpty()) {
			this.template.query(TURNS, Map.of("sessionId", sessionId, "turnIds", turnIds),
					(RowCallbackHandler) (rs) -> turns.put(rs.getString("turn_id"),
							new TurnRow(rs.getString("session_id"), rs.getString("turn_id"),
									rs.getLong("opened_sequence"), rs.getObject("started_at", OffsetDateTime.class),
									rs.getObject("completed_at", OffsetDateTime.class), rs.getString("stop_reason"),
									rs.getBoolean("idle_usage"), rs.getBoolean("span_tokens"),
									rs.getBoolean("paused"))));
		}
		return new PagePlan.History(state, turns);
	}

	/**
	 * Writes what the plan derived beyond the events themselves: turns, reassigned
	 * events, usage (with its rollup, less superseded span tokens), errors and the turn
	 * state.
	 * @return the page's changes to usage: its usage rows, and the superseded span tokens
	 * taken back (negative rows)
	 */
	List<UsageRow> writeDerived(String sessionId, PagePlan plan) {
		if (!plan.turns().isEmpty()) {
			this.template.getJdbcOperations()
				.batchUpdate(SAVE_TURN, plan.turns(), plan.turns().size(), (statement, turn) -> {
					statement.setString(1, turn.sessionId());
					statement.setString(2, turn.turnId());
					statement.setLong(3, turn.openedSequence());
					Timestamps.bind(statement, 4, turn.startedAt());
					Timestamps.bind(statement, 5, turn.completedAt());
					statement.setString(6, turn.stopReason());
					statement.setBoolean(7, turn.idleUsage());
					statement.setBoolean(8, turn.spanTokens());
				});
		}
		for (Reassignment reassignment : plan.reassignments()) {
			this.jdbc.sql(REASSIGN).paramSource(reassignment).update();
			this.jdbc.sql(TURN_STARTED).paramSource(reassignment).update();
		}
		List<UsageRow> changes = this.usage.write(sessionId, plan);
		insertErrors(plan.errors());
		TurnState state = plan.state();
		this.jdbc.sql(SAVE_STATE)
			.param("sessionId", sessionId)
			.param("openTurnId", state.openTurnId())
			.param("pendingFrom", state.pendingFrom())
			.param("lastEventTime", state.lastEventTime())
			.update();
		return changes;
	}

	/** Writes turns and event times derived again for stored events. */
	void rederiveEvents(List<EventRow> rows) {
		batch(REDERIVE_EVENT, rows);
	}

	private void insertErrors(List<ErrorRow> rows) {
		batch(INSERT_ERROR, rows);
	}

	/** Inserts quarantine rows one by one (they are rare); returns how many were new. */
	int insertQuarantine(List<QuarantineRow> rows) {
		int inserted = 0;
		for (QuarantineRow row : rows) {
			inserted += this.jdbc.sql(INSERT_QUARANTINE).paramSource(row).update();
		}
		return inserted;
	}

	private void batch(String sql, List<?> rows) {
		if (!rows.isEmpty()) {
			this.template.batchUpdate(sql,
					rows.stream().map(SimplePropertySqlParameterSource::new).toArray(SqlParameterSource[]::new));
		}
	}

}
