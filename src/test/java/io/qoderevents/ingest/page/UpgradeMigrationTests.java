package io.qoderevents.ingest.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestDatabase;
import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade: a database written by the service before V9 (turn ids only from the
 * upstream, no credits, the ingestion time for events without timestamps), migrated,
 * holds exactly the turns, usage, rollup, event times and running flags that a fresh
 * ingest of the same events writes.
 */
class UpgradeMigrationTests extends IntegrationTest {

	/** Rows as the service wrote them up to V8, from each event's payload. */
	private static final List<String> OLD_ROWS = List.of("""
			insert into %1$s.tracked_session (session_id) values (:session)
			""", """
			insert into %1$s.event (id, session_id, sequence, type, turn_id, created_at, processed_at, event_time,
			                        ingested_at, payload)
			select e ->> 'id', :session, n, e ->> 'type', e ->> 'turn_id', (e ->> 'created_at')::timestamptz,
			       (e ->> 'processed_at')::timestamptz,
			       coalesce((e ->> 'created_at')::timestamptz, (e ->> 'processed_at')::timestamptz,
			                timestamptz '2026-12-01T08:00:00Z'),
			       timestamptz '2026-12-01T08:00:00Z', e
			from jsonb_array_elements(cast(:events as jsonb)) with ordinality as page(e, n)
			""", """
			insert into %1$s.turn_usage (event_id, session_id, turn_id, completed_at, input_tokens, output_tokens,
			                             cache_read_input_tokens, cache_creation_input_tokens, stop_reason, sequence)
			select id, session_id, turn_id, event_time, coalesce((payload -> 'usage' ->> 'input_tokens')::bigint, 0),
			       coalesce((payload -> 'usage' ->> 'output_tokens')::bigint, 0),
			       coalesce((payload -> 'usage' ->> 'cache_read_input_tokens')::bigint, 0),
			       coalesce((payload -> 'usage' ->> 'cache_creation_input_tokens')::bigint, 0),
			       payload -> 'stop_reason' ->> 'type', sequence
			from %1$s.event where session_id = :session and type = 'session.status_idle'
			""", """
			insert into %1$s.session_error (event_id, session_id, turn_id, created_at, error_type, message_pattern,
			                                retry_status)
			select id, session_id, turn_id, event_time, 'unknown_error', '', 'unknown'
			from %1$s.event where session_id = :session and type = 'session.error'
			""");

	private static final Map<String, String> COMPARED = Map.of("event",
			"id, session_id, sequence, type, turn_id, session_thread_id, event_time", "turn_usage",
			"event_id, session_id, turn_id, sequence, completed_at, input_tokens, output_tokens, "
					+ "cache_read_input_tokens, cache_creation_input_tokens, credits, model_requests, pauses, "
					+ "stop_reason, counts_turn, span_tokens",
			"turn", "*", "usage_rollup", "*", "session_error", "event_id, session_id, turn_id, created_at, error_type",
			"session_turn_state", "*", "session_usage", "*", "tracked_session", "session_id, running");

	@Autowired
	private DeriveTurnsMigration migration;

	@Test
	void migrateWhenEventsStoredByTheOldCodeThenDerivedTablesEqualAFreshIngest() {
		String today = TestEvents.sessionId();
		String v0 = TestEvents.sessionId();
		List<String> todayEvents = new ArrayList<>(TodayEvents.pausedTurn().get(0));
		todayEvents.addAll(TodayEvents.pausedTurn().get(1));
		todayEvents.add(TodayEvents.userMessage("evt_m2", TodayEvents.at(20)));
		todayEvents.add(TodayEvents.spanEnd("evt_e3", "evt_s3", TodayEvents.at(21), TodayEvents.credits("0.07")));
		todayEvents
			.add(TestEvents.error(today, "evt_err", TodayEvents.at(22), "model_overloaded_error", "busy", "retrying"));
		todayEvents.add(TestEvents.ofType(today, "evt_r3", "session.status_running", TodayEvents.at(23)));
		String turn = TestEvents.turnId();
		List<String> v0Events = List.of(
				TestEvents.message(v0, "evt_v1", java.time.Instant.parse("2026-05-18T03:40:48Z"))
					.replace("turn_019e392c0d787ceea6bb62943f9ac3ec", turn),
				TestEvents.idle(v0, "evt_v2", turn, "2026-05-18T03:41:00Z", 150, 42, 10, 5));

		String schema = "upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		Flyway old = flyway(schema).target("8").load();
		old.migrate();
		for (String session : List.of(today, v0)) {
			List<String> events = session.equals(today) ? todayEvents : v0Events;
			for (String sql : OLD_ROWS) {
				this.jdbc.sql(sql.formatted(schema))
					.param("session", session)
					.param("events", "[" + String.join(",", events) + "]")
					.update();
			}
		}
		assertThat(this.jdbc
			.sql("select count(*) from %s.event where event_time = '2026-12-01T08:00:00Z'".formatted(schema))
			.query(Long.class)
			.single()).isEqualTo(1);
		flyway(schema).javaMigrations(this.migration).load().migrate();

		ingest(today, todayEvents);
		ingest(v0, v0Events);
		for (Map.Entry<String, String> table : COMPARED.entrySet()) {
			String order = (table.getValue().equals("*") ? "1, 2" : "1");
			List<Map<String, Object>> fresh = rows("public", table.getKey(), table.getValue(), order);
			assertThat(fresh).as(table.getKey()).isNotEmpty();
			assertThat(rows(schema, table.getKey(), table.getValue(), order)).as(table.getKey())
				.containsExactlyElementsOf(fresh);
		}
		this.jdbc.sql("drop schema " + schema + " cascade").update();
	}

	private List<Map<String, Object>> rows(String schema, String table, String columns, String order) {
		return this.jdbc.sql("select %s from %s.%s order by %s".formatted(columns, schema, table, order))
			.query()
			.listOfRows();
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String schema) {
		TestDatabase database = TestDatabase.get();
		return Flyway.configure()
			.dataSource(database.url(), database.username(), database.password())
			.schemas(schema)
			.locations("classpath:db/migration");
	}

}
