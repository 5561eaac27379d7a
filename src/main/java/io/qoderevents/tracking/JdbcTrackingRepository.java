package io.qoderevents.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/**
 * The statements of tracking on {@code tracked_session}: a session's lifecycle (a
 * re-tracked session continues after the events already stored), sync requests and the
 * gauges. The API's reads go through {@link TrackedSessionRepository}; the poll
 * bookkeeping (leases, cursor advances, outcomes) belongs to ingest's lease repository.
 */
@Repository
class JdbcTrackingRepository {

	private static final String INSERT = """
			insert into tracked_session (session_id, cursor, event_count, tracked_at, next_poll_at)
			select :id,
			       (select id from event where session_id = :id order by sequence desc limit 1),
			       coalesce((select max(sequence) from event where session_id = :id), 0), :now, :now
			on conflict (session_id) do nothing
			""";

	private static final String DELETE = "delete from tracked_session where session_id = :id";

	private static final String REQUEST_SYNC = """
			update tracked_session set sync_requested = true, next_poll_at = :now where session_id = :id
			""";

	private static final String SNAPSHOTS = """
			select session_id, status, title, model, total_credits, active_seconds, updated_at, read_at, agent_id,
			       agent_name, agent_version, environment_id, metadata
			from session_snapshot where session_id in (:ids) and read_at is not null
			""";

	private static final String STATE_COUNTS = "select state, count(*) from tracked_session group by state";

	/**
	 * Seconds overdue of the most overdue session: due on schedule, requested or changed
	 * upstream, and not yet claimed.
	 */
	private static final String BEHIND = """
			select coalesce(max(extract(epoch from :now - next_poll_at)), 0)
			from tracked_session
			where ((state in (:states) and next_poll_at <= :now) or sync_requested or changed)
			  and (lease_until is null or lease_until < :now)
			""";

	/** Seconds since the last successful poll of each active session. */
	private static final String UNREAD = """
			select extract(epoch from :now - coalesce(last_success_at, tracked_at))
			from tracked_session where state = :active
			""";

	private static final String SESSION_KNOWN = """
			select exists (select 1 from tracked_session where session_id = :id)
			    or exists (select 1 from event where session_id = :id)
			""";

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private static final TypeReference<LinkedHashMap<String, Object>> METADATA = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final Clock clock;

	JdbcTrackingRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	boolean insert(String sessionId) {
		return at(INSERT).param("id", sessionId).update() == 1;
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
								rs.getObject("read_at", OffsetDateTime.class).toInstant(), rs.getString("agent_id"),
								rs.getString("agent_name"), rs.getString("agent_version"),
								rs.getString("environment_id"), metadata(rs.getString("metadata"))));
				return null;
			}).list();
		}
		return snapshots;
	}

	/** The stored metadata object, its keys in their stored order. */
	private static Map<String, Object> metadata(String json) {
		return (json != null) ? MAPPER.readValue(json, METADATA) : null;
	}

	boolean requestSync(String sessionId) {
		return at(REQUEST_SYNC).param("id", sessionId).update() == 1;
	}

	/** Sessions in each state, zero for a state none is in. */
	Map<SessionState, Long> countByState() {
		Map<SessionState, Long> counts = new EnumMap<>(SessionState.class);
		for (SessionState state : SessionState.values()) {
			counts.put(state, 0L);
		}
		this.jdbc.sql(STATE_COUNTS)
			.query((RowCallbackHandler) (row) -> counts.put(SessionState.of(row.getString(1)), row.getLong(2)));
		return counts;
	}

	/** How long the most overdue session that waits for a poll has waited. */
	Duration behind() {
		List<String> polled = SessionState.POLLED.stream().map(SessionState::value).toList();
		Double seconds = at(BEHIND).param("states", polled).query(Double.class).single();
		return Duration.ofMillis((long) (seconds * 1000));
	}

	/**
	 * How many active sessions were last read at most each of {@code bounds} ago
	 * (cumulative, as a histogram's buckets), and how many in all.
	 */
	long[] unreadFor(List<Duration> bounds) {
		long[] counts = new long[bounds.size() + 1];
		at(UNREAD).param("active", SessionState.ACTIVE.value()).query((RowCallbackHandler) (row) -> {
			double seconds = row.getDouble(1);
			for (int i = 0; i < bounds.size(); i++) {
				if (seconds <= bounds.get(i).toMillis() / 1000.0) {
					counts[i]++;
				}
			}
			counts[bounds.size()]++;
		});
		return counts;
	}

	/** Whether the session is tracked or has stored events. */
	boolean sessionKnown(String sessionId) {
		return this.jdbc.sql(SESSION_KNOWN).param("id", sessionId).query(Boolean.class).single();
	}

	/**
	 * The statement with the clock's instant bound as {@code :now}: a session is due, and
	 * its wait measured, by the clock the poller schedules with.
	 */
	private StatementSpec at(String sql) {
		return this.jdbc.sql(sql).param("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC));
	}

}
