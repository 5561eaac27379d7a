package io.qoderevents.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads stored events. {@code created_at} and {@code processed_at} come from the
 * payload's own strings, which jsonb keeps verbatim, so they keep every fractional digit
 * the upstream sent.
 */
@Repository
class JdbcEventRepository {

	private static final String SELECT = """
			select id, session_id, sequence, type, turn_id, session_thread_id, payload ->> 'created_at' as created_at,
			       payload ->> 'processed_at' as processed_at, ingested_at, event_time, payload::text as payload
			from event
			""";

	private static final String SELECT_ENVELOPE = """
			select id, session_id, sequence, type, turn_id, session_thread_id, payload ->> 'created_at' as created_at,
			       payload ->> 'processed_at' as processed_at, ingested_at, event_time, null as payload
			from event
			""";

	private static final String OF_SESSION = "session_id = :session";

	private static final String OF_SESSIONS = "session_id in (:sessionIds)";

	private static final String OF_TYPES = "type in (:types)";

	private static final String OF_TURN = "turn_id = :turnId";

	private static final String OF_THREAD = "session_thread_id = :sessionThreadId";

	private static final String AFTER_TIME = """
			(event_time, session_id, sequence) > (:afterTime, :afterSession, :afterSequence)""";

	private static final String AFTER_SEQUENCE = "sequence > :afterSequence";

	private static final String BY_TIME = " order by event_time, session_id, sequence";

	private static final String BY_SEQUENCE = " order by sequence";

	private static final int FETCH_SIZE = 1000;

	private final JdbcClient jdbc;

	JdbcEventRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code limit} events after {@code after} (null for the first page), in list
	 * order.
	 */
	List<Row> find(EventFilter filter, Position after, int limit) {
		Query query = query(SELECT, filter, after);
		return this.jdbc.sql(query.sql() + " limit :limit")
			.params(query.params())
			.param("limit", limit)
			.query(JdbcEventRepository::row)
			.list();
	}

	/**
	 * Every selected event in list order, from a server-side cursor read
	 * {@value #FETCH_SIZE} rows at a time, so that memory stays constant; the caller
	 * holds a transaction. Without {@code payload} the envelope only.
	 */
	void stream(EventFilter filter, boolean payload, Consumer<EventResponse> sink) {
		Query query = query(payload ? SELECT : SELECT_ENVELOPE, filter, null);
		this.jdbc.sql(query.sql())
			.withFetchSize(FETCH_SIZE)
			.params(query.params())
			.query((RowCallbackHandler) (rs) -> sink.accept(row(rs, 0).event()));
	}

	private static Query query(String select, EventFilter filter, Position after) {
		List<String> conditions = new ArrayList<>();
		Map<String, Object> params = new LinkedHashMap<>();
		if (filter.session() != null) {
			conditions.add(OF_SESSION);
			params.put("session", filter.session());
		}
		if (!filter.sessionIds().isEmpty()) {
			conditions.add(OF_SESSIONS);
			params.put("sessionIds", filter.sessionIds());
		}
		if (!filter.types().isEmpty()) {
			conditions.add(OF_TYPES);
			params.put("types", filter.types());
		}
		if (filter.turnId() != null) {
			conditions.add(OF_TURN);
			params.put("turnId", filter.turnId());
		}
		if (filter.sessionThreadId() != null) {
			conditions.add(OF_THREAD);
			params.put("sessionThreadId", filter.sessionThreadId());
		}
		filter.range().addConditions("event_time", conditions, params);
		if (after != null && filter.session() != null) {
			conditions.add(AFTER_SEQUENCE);
			params.put("afterSequence", after.sequence());
		}
		else if (after != null) {
			conditions.add(AFTER_TIME);
			params.put("afterTime", OffsetDateTime.ofInstant(after.eventTime(), ZoneOffset.UTC));
			params.put("afterSession", after.sessionId());
			params.put("afterSequence", after.sequence());
		}
		String where = conditions.isEmpty() ? "" : "where " + String.join(" and ", conditions);
		return new Query(select + where + ((filter.session() != null) ? BY_SEQUENCE : BY_TIME), params);
	}

	private static Row row(ResultSet rs, int rowNum) throws SQLException {
		EventResponse event = new EventResponse(rs.getString("id"), rs.getString("session_id"), rs.getLong("sequence"),
				rs.getString("type"), rs.getString("turn_id"), rs.getString("session_thread_id"),
				rs.getString("created_at"), rs.getString("processed_at"),
				rs.getObject("event_time", OffsetDateTime.class).toInstant(),
				rs.getObject("ingested_at", OffsetDateTime.class).toInstant(), rs.getString("payload"));
		Position position = new Position(event.eventTime(), event.sessionId(), event.sequence());
		return new Row(event, position);
	}

	/** An event and its place in list order. */
	record Row(EventResponse event, Position position) {
	}

	/** The sort key of an event: event time, session and sequence. */
	record Position(Instant eventTime, String sessionId, long sequence) {
	}

	private record Query(String sql, Map<String, Object> params) {
	}

}
