package io.qoderevents.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.qoderevents.ingest.Rows.ErrorRow;
import io.qoderevents.ingest.Rows.EventRow;
import io.qoderevents.ingest.Rows.QuarantineRow;
import io.qoderevents.ingest.Rows.Reassignment;
import io.qoderevents.ingest.Rows.RollupRow;
import io.qoderevents.ingest.Rows.TurnRow;
import io.qoderevents.ingest.Rows.TurnState;
import io.qoderevents.ingest.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;
import io.qoderevents.usage.UsageCounters;
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
 * The writes of one page, in its transaction: events, turns, usage and its rollup,
 * errors, quarantine, the turn state. The session row's lock and cursor advance are the
 * lease repository's.
 */
@Repository
class JdbcPageRepository {

	private static final String STORED_SESSIONS = "select id, session_id from event where id in (:ids)";

	private static final String UNIQUE_VIOLATION = "23505";

	/** A stored event derived again from its payload (the upgrade's replay). */
	private static final String REDERIVE_EVENT = """
			update event set turn_id = :turnId, session_thread_id = :sessionThreadId, event_time = :eventTime
			where id = :id
			""";

	private static final String INSERT_USAGE = """
			insert into turn_usage (event_id, session_id, turn_id, sequence, completed_at, %s, pauses, stop_reason,
			                        counts_turn, span_tokens)
			values (?, ?, ?, ?, cast(? as timestamptz), %s, ?, ?, ?, ?)
			on conflict (event_id) do nothing
			""".formatted(UsageCounters.COLUMN_LIST, UsageCounters.PLACEHOLDERS);

	/** Buckets arrive sorted, so concurrent pages lock shared buckets in one order. */
	private static final String ADD_TO_ROLLUP = """
			insert into usage_rollup as r (bucket, %s, turns)
			values (cast(? as timestamptz), %s, ?)
			on conflict (bucket) do update set %s, turns = r.turns + excluded.turns
			""".formatted(UsageCounters.COLUMN_LIST, UsageCounters.PLACEHOLDERS, UsageCounters.addedInto("r"));

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

	private static final String TURNS = """
			select session_id, turn_id, opened_sequence, started_at, completed_at, stop_reason, idle_usage, span_tokens
			from turn where session_id = :sessionId and turn_id in (:turnIds)
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

	/**
	 * Span rows of turns whose idle usage now counts instead: their tokens, before they
	 * are zeroed.
	 */
	private static final String DROP_SPAN_TOKENS = """
			with dropped as (
			    select event_id, turn_id, sequence, completed_at, input_tokens, output_tokens, cache_read_input_tokens,
			           cache_creation_input_tokens
			    from turn_usage
			    where session_id = :sessionId and turn_id in (:turnIds) and span_tokens
			    for update),
			zeroed as (
			    update turn_usage u
			    set input_tokens = 0, output_tokens = 0, cache_read_input_tokens = 0, cache_creation_input_tokens = 0,
			        span_tokens = false
			    from dropped where u.event_id = dropped.event_id)
			select turn_id, sequence, completed_at, input_tokens, output_tokens, cache_read_input_tokens,
			       cache_creation_input_tokens, 0 as credits, 0 as model_requests
			from dropped
			""";

	/** A page's usage changes to one turn, added to its counters. */
	private static final String ADD_TO_TURN = """
			update turn t
			set %s, pauses = t.pauses + ?, completions = t.completions + ?, position = greatest(t.position, ?)
			where t.session_id = ? and t.turn_id = ?
			""".formatted(UsageCounters.placeholdersAddedInto("t"));

	/**
	 * When {@code stored}, notes that events of the session were stored now: its snapshot
	 * is due.
	 */
	private static final String EVENTS_STORED = """
			insert into session_snapshot (session_id, events_stored_at)
			select :sessionId, now() where :stored
			on conflict (session_id) do update set events_stored_at = excluded.events_stored_at""";

	/**
	 * A page's usage changes to its session, added to the session's totals, with
	 * {@link #EVENTS_STORED} in one round trip.
	 */
	private static final String ADD_TO_SESSION = """
			with stored as (%s)
			insert into session_usage as s (session_id, %s, turns, first_completed_at, last_completed_at)
			values (:sessionId, %s, :completions, :first, :last)
			on conflict (session_id) do update
			set %s, turns = s.turns + excluded.turns,
			    first_completed_at = least(s.first_completed_at, excluded.first_completed_at),
			    last_completed_at = greatest(s.last_completed_at, excluded.last_completed_at)
			""".formatted(EVENTS_STORED, UsageCounters.COLUMN_LIST, UsageCounters.PARAMETER_LIST,
			UsageCounters.addedInto("s"));

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

	JdbcPageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
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
									rs.getBoolean("idle_usage"), rs.getBoolean("span_tokens"))));
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
					bindTimestamp(statement, 4, turn.startedAt());
					bindTimestamp(statement, 5, turn.completedAt());
					statement.setString(6, turn.stopReason());
					statement.setBoolean(7, turn.idleUsage());
					statement.setBoolean(8, turn.spanTokens());
				});
		}
		for (Reassignment reassignment : plan.reassignments()) {
			this.jdbc.sql(REASSIGN).paramSource(reassignment).update();
			this.jdbc.sql(TURN_STARTED).paramSource(reassignment).update();
		}
		List<UsageRow> changes = new ArrayList<>(plan.usage());
		if (!plan.superseded().isEmpty()) {
			this.template.query(DROP_SPAN_TOKENS, Map.of("sessionId", sessionId, "turnIds", plan.superseded()),
					(RowCallbackHandler) (rs) -> changes.add(new UsageRow(null, sessionId, rs.getString("turn_id"),
							rs.getLong("sequence"), rs.getObject("completed_at", OffsetDateTime.class),
							UsageCounters.read(rs).negated(), 0, null, false, false)));
		}
		insertUsage(plan.usage(), changes);
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

	/**
	 * Adds a page's usage changes to the counters of its turns and of its session, and
	 * notes whether it stored events.
	 */
	void addToTotals(String sessionId, List<UsageRow> changes, boolean stored) {
		if (changes.isEmpty()) {
			if (stored) {
				this.jdbc.sql(EVENTS_STORED).param("sessionId", sessionId).param("stored", true).update();
			}
			return;
		}
		Map<String, TurnTotal> turns = new TreeMap<>();
		TurnTotal session = TurnTotal.NONE;
		for (UsageRow change : changes) {
			TurnTotal total = TurnTotal.of(change);
			session = session.plus(total);
			if (change.turnId() != null) {
				turns.merge(change.turnId(), total, TurnTotal::plus);
			}
		}
		this.template.getJdbcOperations()
			.batchUpdate(ADD_TO_TURN, List.copyOf(turns.entrySet()), turns.size(), (statement, turn) -> {
				TurnTotal total = turn.getValue();
				int next = total.counters().bind(statement, 1);
				statement.setLong(next, total.pauses());
				statement.setLong(next + 1, total.completions());
				statement.setLong(next + 2, total.position());
				statement.setString(next + 3, sessionId);
				statement.setString(next + 4, turn.getKey());
			});
		OffsetDateTime first = changes.stream().map(UsageRow::completedAt).min(OffsetDateTime::compareTo).get();
		OffsetDateTime last = changes.stream().map(UsageRow::completedAt).max(OffsetDateTime::compareTo).get();
		this.jdbc.sql(ADD_TO_SESSION)
			.params(session.parameters(sessionId, null))
			.param("first", first)
			.param("last", last)
			.param("stored", stored)
			.update();
	}

	/** Writes turns and event times derived again for stored events. */
	void rederiveEvents(List<EventRow> rows) {
		batch(REDERIVE_EVENT, rows);
	}

	/** Stores the usage rows and adds the page's changes to the 15-minute rollup. */
	private void insertUsage(List<UsageRow> rows, List<UsageRow> changes) {
		if (!rows.isEmpty()) {
			this.template.getJdbcOperations().batchUpdate(INSERT_USAGE, rows, rows.size(), (statement, row) -> {
				statement.setString(1, row.eventId());
				statement.setString(2, row.sessionId());
				statement.setString(3, row.turnId());
				statement.setLong(4, row.sequence());
				bindTimestamp(statement, 5, row.completedAt());
				int next = row.counters().bind(statement, 6);
				statement.setInt(next, row.pauses());
				statement.setString(next + 1, row.stopReason());
				statement.setBoolean(next + 2, row.countsTurn());
				statement.setBoolean(next + 3, row.spanTokens());
			});
		}
		List<RollupRow> rollup = rollup(changes);
		if (!rollup.isEmpty()) {
			this.template.getJdbcOperations().batchUpdate(ADD_TO_ROLLUP, rollup, rollup.size(), (statement, row) -> {
				bindTimestamp(statement, 1, row.bucket());
				int next = row.counters().bind(statement, 2);
				statement.setLong(next, row.turns());
			});
		}
	}

	/** The changes to the rollup, one per 15-minute bucket, in bucket order. */
	private static List<RollupRow> rollup(List<UsageRow> changes) {
		Map<OffsetDateTime, RollupRow> buckets = new TreeMap<>();
		for (UsageRow change : changes) {
			add(buckets, new RollupRow(change.completedAt(), change.counters(), change.countsTurn() ? 1 : 0));
		}
		return new ArrayList<>(buckets.values());
	}

	private static void add(Map<OffsetDateTime, RollupRow> buckets, RollupRow change) {
		OffsetDateTime at = change.bucket().withOffsetSameInstant(ZoneOffset.UTC);
		OffsetDateTime bucket = at.truncatedTo(ChronoUnit.HOURS).withMinute(at.getMinute() / 15 * 15);
		buckets.merge(bucket, new RollupRow(bucket, change.counters(), change.turns()),
				(a, b) -> new RollupRow(bucket, a.counters().plus(b.counters()), a.turns() + b.turns()));
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

	/**
	 * Binds a timestamp as text (see {@link #timestampText}), without the driver's costly
	 * conversion. The statement casts the parameter to {@code timestamptz}.
	 */
	static void bindTimestamp(PreparedStatement statement, int index, OffsetDateTime at) throws SQLException {
		statement.setString(index, timestampText(at));
	}

	/**
	 * A timestamp as PostgreSQL reads it: UTC, microseconds rounded half up; years beyond
	 * 9999 with more digits, years before 1 as {@code BC} (year 0 is 1 BC); null for
	 * null.
	 */
	static String timestampText(OffsetDateTime at) {
		if (at == null) {
			return null;
		}
		OffsetDateTime utc = at.withOffsetSameInstant(ZoneOffset.UTC);
		if (utc.getNano() % 1000 > 499) {
			utc = utc.plusNanos(1000);
		}
		if (utc.getYear() < 1 || utc.getYear() > 9999) {
			int year = utc.getYear();
			return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%06d+00%s", (year < 1) ? 1 - year : year,
					utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond(),
					utc.getNano() / 1000, (year < 1) ? " BC" : "");
		}
		char[] text = "0000-00-00 00:00:00.000000+00".toCharArray();
		digits(text, 0, 4, utc.getYear());
		digits(text, 5, 2, utc.getMonthValue());
		digits(text, 8, 2, utc.getDayOfMonth());
		digits(text, 11, 2, utc.getHour());
		digits(text, 14, 2, utc.getMinute());
		digits(text, 17, 2, utc.getSecond());
		digits(text, 20, 6, utc.getNano() / 1000);
		return new String(text);
	}

	private static void digits(char[] text, int at, int width, int value) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

	private void batch(String sql, List<?> rows) {
		if (!rows.isEmpty()) {
			this.template.batchUpdate(sql,
					rows.stream().map(SimplePropertySqlParameterSource::new).toArray(SqlParameterSource[]::new));
		}
	}

	/** What usage changes add to one turn (or a session). */
	private record TurnTotal(UsageCounters counters, long pauses, long completions, long position) {

		static final TurnTotal NONE = new TurnTotal(UsageCounters.ZERO, 0, 0, 0);

		static TurnTotal of(UsageRow change) {
			return new TurnTotal(change.counters(), change.pauses(), change.countsTurn() ? 1 : 0, change.sequence());
		}

		TurnTotal plus(TurnTotal other) {
			return new TurnTotal(this.counters.plus(other.counters), this.pauses + other.pauses,
					this.completions + other.completions, Math.max(this.position, other.position));
		}

		Map<String, Object> parameters(String sessionId, String turnId) {
			Map<String, Object> parameters = new HashMap<>(this.counters.parameters());
			parameters.put("sessionId", sessionId);
			parameters.put("turnId", turnId);
			parameters.put("pauses", this.pauses);
			parameters.put("completions", this.completions);
			parameters.put("position", this.position);
			return parameters;
		}

	}

}
