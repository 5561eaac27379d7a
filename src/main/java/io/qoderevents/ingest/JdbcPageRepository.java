package io.qoderevents.ingest;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.qoderevents.ingest.Rows.ErrorRow;
import io.qoderevents.ingest.Rows.EventRow;
import io.qoderevents.ingest.Rows.QuarantineRow;
import io.qoderevents.ingest.Rows.RollupRow;
import io.qoderevents.ingest.Rows.UsageRow;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The writes of one page, in its transaction: events, usage and its rollup, errors,
 * quarantine. The session row's lock and cursor advance are the lease repository's.
 */
@Repository
class JdbcPageRepository {

	private static final String STORED_SESSIONS = "select id, session_id from event where id in (:ids)";

	private static final String INSERT_EVENT = """
			insert into event (id, session_id, sequence, type, turn_id, created_at, processed_at, event_time, payload)
			values (:id, :sessionId, :sequence, :type, :turnId, :createdAt, :processedAt, :eventTime, cast(:payload as jsonb))
			on conflict (id) do nothing
			""";

	private static final String INSERT_USAGE = """
			insert into turn_usage (event_id, session_id, turn_id, sequence, completed_at, input_tokens, output_tokens,
			                        cache_read_input_tokens, cache_creation_input_tokens, stop_reason, counts_turn)
			values (:eventId, :sessionId, :turnId, :sequence, :completedAt, :inputTokens, :outputTokens,
			        :cacheReadInputTokens, :cacheCreationInputTokens, :stopReason, :countsTurn)
			on conflict (event_id) do nothing
			""";

	private static final String STORED_TURNS = """
			select distinct turn_id from turn_usage where session_id = :sessionId and turn_id in (:turnIds)
			""";

	/** Buckets arrive sorted, so concurrent pages lock shared buckets in one order. */
	private static final String ADD_TO_ROLLUP = """
			insert into usage_rollup as r (bucket, input_tokens, output_tokens, cache_read_input_tokens,
			                               cache_creation_input_tokens, turns)
			values (:bucket, :inputTokens, :outputTokens, :cacheReadInputTokens, :cacheCreationInputTokens, :turns)
			on conflict (bucket) do update
			set input_tokens = r.input_tokens + excluded.input_tokens,
			    output_tokens = r.output_tokens + excluded.output_tokens,
			    cache_read_input_tokens = r.cache_read_input_tokens + excluded.cache_read_input_tokens,
			    cache_creation_input_tokens = r.cache_creation_input_tokens + excluded.cache_creation_input_tokens,
			    turns = r.turns + excluded.turns
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

	void insertEvents(List<EventRow> rows) {
		batch(INSERT_EVENT, rows);
	}

	/** Which of these turns of the session already have a usage row. */
	Set<String> storedTurns(String sessionId, Collection<String> turnIds) {
		if (turnIds.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.template.queryForList(STORED_TURNS,
				Map.of("sessionId", sessionId, "turnIds", turnIds), String.class));
	}

	/** Stores the usage rows and adds them to the 15-minute rollup. */
	void insertUsage(List<UsageRow> rows) {
		batch(INSERT_USAGE, rows);
		batch(ADD_TO_ROLLUP, rollup(rows));
	}

	private static List<RollupRow> rollup(List<UsageRow> rows) {
		Map<OffsetDateTime, long[]> buckets = new TreeMap<>();
		for (UsageRow row : rows) {
			OffsetDateTime at = row.completedAt();
			OffsetDateTime bucket = at.truncatedTo(ChronoUnit.HOURS).withMinute(at.getMinute() / 15 * 15);
			long[] sums = buckets.computeIfAbsent(bucket, (key) -> new long[5]);
			sums[0] += row.inputTokens();
			sums[1] += row.outputTokens();
			sums[2] += row.cacheReadInputTokens();
			sums[3] += row.cacheCreationInputTokens();
			sums[4] += row.countsTurn() ? 1 : 0;
		}
		List<RollupRow> rollup = new ArrayList<>(buckets.size());
		buckets
			.forEach((bucket, sums) -> rollup.add(new RollupRow(bucket, sums[0], sums[1], sums[2], sums[3], sums[4])));
		return rollup;
	}

	void insertErrors(List<ErrorRow> rows) {
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
