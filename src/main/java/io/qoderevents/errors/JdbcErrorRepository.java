package io.qoderevents.errors;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.qoderevents.errors.ErrorGroup.RetryStatusCounts;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Error reports, read from {@code session_error} (each {@code session.error} event
 * flattened at ingestion).
 */
@Repository
class JdbcErrorRepository {

	private static final String GROUPS = """
			select *
			from (select error_type, %1$s as group_key, %2$s as sample_message,
			             count(*) as count, count(distinct session_id) as session_count,
			             min(created_at) as first_seen, max(created_at) as last_seen,
			             count(*) filter (where retry_status = 'retrying') as retrying,
			             count(*) filter (where retry_status = 'exhausted') as exhausted,
			             count(*) filter (where retry_status = 'terminal') as terminal,
			             count(*) filter (where retry_status = 'unknown') as unknown
			      from session_error
			      where %3$s
			      group by error_type, group_key) g
			where %4$s
			order by count desc, error_type, group_key
			limit :limit
			""";

	private static final String SESSION_ERRORS = """
			select se.event_id, se.session_id, se.turn_id, e.payload ->> 'created_at' as created_at_text,
			       se.created_at, se.error_type, se.message, se.details_name, se.details_message, se.retry_status,
			       e.sequence
			from session_error se
			join event e on e.id = se.event_id
			where se.session_id = :sessionId and e.sequence > :after
			order by e.sequence
			limit :limit
			""";

	private static final String OF_SESSIONS = "session_id in (:sessionIds)";

	private static final String AFTER_GROUP = """
			(g.count < :afterCount
			 or (g.count = :afterCount and (g.error_type, g.group_key) > (:afterType, :afterKey)))""";

	private static final String ALL = "true";

	private final JdbcClient jdbc;

	JdbcErrorRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Up to {@code limit} groups after {@code after} (null for the first), largest first.
	 */
	List<ErrorGroup> groups(ErrorFilter filter, GroupKey after, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = new ArrayList<>();
		filter.range().addConditions("created_at", conditions, params);
		if (!filter.sessionIds().isEmpty()) {
			conditions.add(OF_SESSIONS);
			params.put("sessionIds", filter.sessionIds());
		}
		String outer = ALL;
		if (after != null) {
			outer = AFTER_GROUP;
			params.put("afterCount", after.count());
			params.put("afterType", after.errorType());
			params.put("afterKey", after.key());
		}
		ErrorGrouping grouping = filter.grouping();
		String where = conditions.isEmpty() ? ALL : String.join(" and ", conditions);
		return this.jdbc.sql(GROUPS.formatted(grouping.column(), grouping.sample(), where, outer))
			.params(params)
			.param("limit", limit)
			.query((rs, rowNum) -> group(rs, grouping))
			.list();
	}

	/**
	 * Up to {@code limit} of the session's errors after sequence {@code after}, in
	 * sequence order.
	 */
	List<SequencedError> sessionErrors(String sessionId, long after, int limit) {
		return this.jdbc.sql(SESSION_ERRORS)
			.param("sessionId", sessionId)
			.param("after", after)
			.param("limit", limit)
			.query((rs, rowNum) -> new SequencedError(sessionError(rs), rs.getLong("sequence")))
			.list();
	}

	private static ErrorGroup group(ResultSet rs, ErrorGrouping grouping) throws SQLException {
		String key = rs.getString("group_key");
		RetryStatusCounts retryStatus = new RetryStatusCounts(rs.getLong("retrying"), rs.getLong("exhausted"),
				rs.getLong("terminal"), rs.getLong("unknown"));
		return new ErrorGroup(rs.getString("error_type"), (grouping == ErrorGrouping.MESSAGE) ? key : null,
				rs.getString("sample_message"), (grouping == ErrorGrouping.SESSION) ? key : null, rs.getLong("count"),
				rs.getLong("session_count"), rs.getObject("first_seen", OffsetDateTime.class).toInstant(),
				rs.getObject("last_seen", OffsetDateTime.class).toInstant(), retryStatus);
	}

	private static SessionError sessionError(ResultSet rs) throws SQLException {
		String createdAt = rs.getString("created_at_text");
		if (createdAt == null) {
			createdAt = rs.getObject("created_at", OffsetDateTime.class).toInstant().toString();
		}
		return new SessionError(rs.getString("event_id"), rs.getString("session_id"), rs.getString("turn_id"),
				createdAt, rs.getString("error_type"), rs.getString("message"), rs.getString("details_name"),
				rs.getString("details_message"), rs.getString("retry_status"));
	}

	/** The sort key of a group: its count, error type and the key of its grouping. */
	record GroupKey(long count, String errorType, String key) {

		static GroupKey of(ErrorGroup group, ErrorGrouping grouping) {
			String key = switch (grouping) {
				case TYPE -> "";
				case MESSAGE -> group.message();
				case SESSION -> group.sessionId();
			};
			return new GroupKey(group.count(), group.errorType(), key);
		}

	}

	/** A flattened error and its sequence in the session. */
	record SequencedError(SessionError error, long sequence) {
	}

}
