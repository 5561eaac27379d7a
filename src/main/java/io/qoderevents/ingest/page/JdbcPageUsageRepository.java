package io.qoderevents.ingest.page;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.qoderevents.ingest.turns.PagePlan;
import io.qoderevents.ingest.turns.Rows.RollupRow;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.usage.UsageCounters;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The usage writes of one page, in its transaction: usage rows, the 15-minute rollup,
 * span tokens superseded by idle usage, and the counters of its turns and its session.
 */
@Repository
class JdbcPageUsageRepository {

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

	/** The same changes per session, the source of cost and of attributed reports. */
	private static final String ADD_TO_SESSION_BUCKET = """
			insert into session_usage_bucket as b (session_id, bucket, %s, turns)
			values (?, cast(? as timestamptz), %s, ?)
			on conflict (session_id, bucket) do update set %s, turns = b.turns + excluded.turns
			""".formatted(UsageCounters.COLUMN_LIST, UsageCounters.PLACEHOLDERS, UsageCounters.addedInto("b"));

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

	/** The last stored usage row of each stored turn a new turn ended now counts it. */
	private static final String COUNT_ENDED = """
			update turn_usage u set counts_turn = true
			from (select distinct on (turn_id) event_id
			      from turn_usage
			      where session_id = :sessionId and turn_id in (:turnIds)
			      order by turn_id, sequence desc) last
			where u.event_id = last.event_id and not u.counts_turn
			returning u.turn_id, u.sequence, u.completed_at, u.stop_reason
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
			select :sessionId, :now where :stored
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

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate template;

	private final Clock clock;

	private final boolean sessionBuckets;

	@Autowired
	JdbcPageUsageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate template, Clock clock) {
		this(jdbc, template, clock, true);
	}

	private JdbcPageUsageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate template, Clock clock,
			boolean sessionBuckets) {
		this.jdbc = jdbc;
		this.template = template;
		this.clock = clock;
		this.sessionBuckets = sessionBuckets;
	}

	/**
	 * The usage writes of the V10 turn replay, which runs before session_usage_bucket
	 * exists (V20 fills it from the usage rows).
	 */
	static JdbcPageUsageRepository beforeSessionBuckets(JdbcClient jdbc, NamedParameterJdbcTemplate template) {
		return new JdbcPageUsageRepository(jdbc, template, Clock.systemUTC(), false);
	}

	/**
	 * Stores the page's usage rows with their rollup, takes back the tokens of the stored
	 * span rows its idle usage supersedes, and counts stored turns a new turn ended.
	 * @return the page's changes to usage: its usage rows, the superseded span tokens
	 * taken back (negative rows), and turns counted on stored rows (zero counters)
	 */
	List<UsageRow> write(String sessionId, PagePlan plan) {
		List<UsageRow> changes = new ArrayList<>(plan.usage());
		if (!plan.superseded().isEmpty()) {
			this.template.query(DROP_SPAN_TOKENS, Map.of("sessionId", sessionId, "turnIds", plan.superseded()),
					(RowCallbackHandler) (rs) -> changes.add(new UsageRow(null, sessionId, rs.getString("turn_id"),
							rs.getLong("sequence"), rs.getObject("completed_at", OffsetDateTime.class),
							UsageCounters.read(rs).negated(), 0, null, false, false)));
		}
		if (!plan.endedStored().isEmpty()) {
			this.template.query(COUNT_ENDED, Map.of("sessionId", sessionId, "turnIds", plan.endedStored()),
					(RowCallbackHandler) (rs) -> changes.add(new UsageRow(null, sessionId, rs.getString("turn_id"),
							rs.getLong("sequence"), rs.getObject("completed_at", OffsetDateTime.class),
							UsageCounters.ZERO, 0, rs.getString("stop_reason"), true, false)));
		}
		insertUsage(plan.usage(), changes);
		return changes;
	}

	/**
	 * Adds a page's usage changes to the counters of its turns and of its session, and
	 * notes whether it stored events.
	 */
	void addToTotals(String sessionId, List<UsageRow> changes, boolean stored) {
		if (changes.isEmpty()) {
			if (stored) {
				this.jdbc.sql(EVENTS_STORED)
					.param("now", now())
					.param("sessionId", sessionId)
					.param("stored", true)
					.update();
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
			.param("now", now())
			.param("first", first)
			.param("last", last)
			.param("stored", stored)
			.update();
	}

	/**
	 * Stores the usage rows and adds the page's changes (all of one session) to the
	 * 15-minute rollup and to the session's buckets.
	 */
	private void insertUsage(List<UsageRow> rows, List<UsageRow> changes) {
		if (!rows.isEmpty()) {
			this.template.getJdbcOperations().batchUpdate(INSERT_USAGE, rows, rows.size(), (statement, row) -> {
				statement.setString(1, row.eventId());
				statement.setString(2, row.sessionId());
				statement.setString(3, row.turnId());
				statement.setLong(4, row.sequence());
				Timestamps.bind(statement, 5, row.completedAt());
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
				Timestamps.bind(statement, 1, row.bucket());
				int next = row.counters().bind(statement, 2);
				statement.setLong(next, row.turns());
			});
		}
		if (!rollup.isEmpty() && this.sessionBuckets) {
			String sessionId = changes.get(0).sessionId();
			this.template.getJdbcOperations()
				.batchUpdate(ADD_TO_SESSION_BUCKET, rollup, rollup.size(), (statement, row) -> {
					statement.setString(1, sessionId);
					Timestamps.bind(statement, 2, row.bucket());
					int next = row.counters().bind(statement, 3);
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

	/** The clock's instant, when events were stored: a snapshot read after it is due. */
	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
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
