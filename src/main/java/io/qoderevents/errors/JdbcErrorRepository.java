package io.qoderevents.errors;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.qoderevents.errors.ErrorGroup.RetryStatusCounts;
import io.qoderevents.errors.ErrorGroup.TypeCount;
import io.qoderevents.web.TimeRange;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Error reports, read from {@code session_error} (each {@code session.error} event
 * flattened at ingestion).
 */
@Repository
class JdbcErrorRepository {

	/** What every group adds up: its errors, their times and retry statuses. */
	private static final String COUNTS = """
			count(*) as count, min(created_at) as first_seen, max(created_at) as last_seen,
			count(*) filter (where retry_status = 'retrying') as retrying,
			count(*) filter (where retry_status = 'exhausted') as exhausted,
			count(*) filter (where retry_status = 'terminal') as terminal,
			count(*) filter (where retry_status = 'unknown') as unknown""";

	private static final String GROUPS = """
			select *
			from (select %%1$s as error_type, %%2$s as group_key, %%3$s as sample_message,
			             count(distinct session_id) as session_count, %s
			      from session_error
			      where %%4$s
			      group by 1, 2) g
			where %%5$s
			order by count desc, error_type, group_key
			limit :limit
			""".formatted(COUNTS);

	/** The error types of some sessions' groups, most frequent first. */
	private static final String TYPES_OF_SESSIONS = """
			select session_id, error_type, %s
			from session_error
			where %%s
			group by session_id, error_type
			order by session_id, count desc, error_type
			""".formatted(COUNTS);

	private static final String SESSION_ERRORS = """
			select se.event_id, se.session_id, se.turn_id, e.payload ->> 'created_at' as created_at_text,
			       se.created_at, se.error_type, se.message, se.details_name, se.details_message, se.retry_status,
			       e.sequence
			from session_error se
			join event e on e.id = se.event_id
			where se.session_id = :sessionId and e.sequence > :after and %s
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
		List<String> conditions = conditions(filter.range(), filter.sessionIds(), params);
		String outer = ALL;
		if (after != null) {
			outer = AFTER_GROUP;
			params.put("afterCount", after.count());
			params.put("afterType", after.errorType());
			params.put("afterKey", after.key());
		}
		ErrorGrouping grouping = filter.grouping();
		List<ErrorGroup> groups = this.jdbc
			.sql(GROUPS.formatted(grouping.type(), grouping.column(), grouping.sample(), where(conditions), outer))
			.params(params)
			.param("limit", limit)
			.query((rs, rowNum) -> group(rs, grouping))
			.list();
		return (grouping == ErrorGrouping.SESSION) ? withTypes(groups, filter) : groups;
	}

	/**
	 * Session groups with their error types, the most frequent type as the group's.
	 */
	private List<ErrorGroup> withTypes(List<ErrorGroup> sessions, ErrorFilter filter) {
		if (sessions.isEmpty()) {
			return sessions;
		}
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = conditions(filter.range(), sessions.stream().map(ErrorGroup::sessionId).toList(),
				params);
		Map<String, List<TypeCount>> types = this.jdbc.sql(TYPES_OF_SESSIONS.formatted(where(conditions)))
			.params(params)
			.query((rs, rowNum) -> Map.entry(rs.getString("session_id"),
					new TypeCount(rs.getString("error_type"), rs.getLong("count"), instant(rs, "first_seen"),
							instant(rs, "last_seen"), retryStatus(rs))))
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		return sessions.stream().map((group) -> group.withTypes(types.get(group.sessionId()))).toList();
	}

	private static List<String> conditions(TimeRange range, List<String> sessionIds, Map<String, Object> params) {
		List<String> conditions = new ArrayList<>();
		range.addConditions("created_at", conditions, params);
		if (!sessionIds.isEmpty()) {
			conditions.add(OF_SESSIONS);
			params.put("sessionIds", sessionIds);
		}
		return conditions;
	}

	private static String where(List<String> conditions) {
		return conditions.isEmpty() ? ALL : String.join(" and ", conditions);
	}

	/**
	 * Up to {@code limit} of the session's errors in the range after sequence
	 * {@code after}, in sequence order.
	 */
	List<SequencedError> sessionErrors(String sessionId, TimeRange range, long after, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		List<String> conditions = new ArrayList<>();
		range.addConditions("se.created_at", conditions, params);
		return this.jdbc.sql(SESSION_ERRORS.formatted(where(conditions)))
			.params(params)
			.param("sessionId", sessionId)
			.param("after", after)
			.param("limit", limit)
			.query((rs, rowNum) -> new SequencedError(sessionError(rs), rs.getLong("sequence")))
			.list();
	}

	private static ErrorGroup group(ResultSet rs, ErrorGrouping grouping) throws SQLException {
		String key = rs.getString("group_key");
		return new ErrorGroup((grouping == ErrorGrouping.SESSION) ? null : rs.getString("error_type"),
				(grouping == ErrorGrouping.MESSAGE) ? key : null, rs.getString("sample_message"),
				(grouping == ErrorGrouping.SESSION) ? key : null, rs.getLong("count"), rs.getLong("session_count"),
				instant(rs, "first_seen"), instant(rs, "last_seen"), retryStatus(rs), null);
	}

	private static RetryStatusCounts retryStatus(ResultSet rs) throws SQLException {
		return new RetryStatusCounts(rs.getLong("retrying"), rs.getLong("exhausted"), rs.getLong("terminal"),
				rs.getLong("unknown"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
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
			return switch (grouping) {
				case TYPE -> new GroupKey(group.count(), group.errorType(), "");
				case MESSAGE -> new GroupKey(group.count(), group.errorType(), group.message());
				case SESSION -> new GroupKey(group.count(), "", group.sessionId());
			};
		}

	}

	/** A flattened error and its sequence in the session. */
	record SequencedError(SessionError error, long sequence) {
	}

}
