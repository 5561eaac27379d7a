package io.qoderevents.ingest.page;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.qoderevents.ingest.turns.PagePlan;
import io.qoderevents.upstream.UpstreamEvent;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Flyway V10: derives turns, credits, pauses, threads and event times for the events
 * stored before V9, by replaying every session's stored payloads in sequence order
 * through the same {@link PagePlan} and writes a fresh ingest uses, so that an upgraded
 * database reports exactly what a fresh ingest of the same events would. Derived tables
 * are rebuilt; events keep their ids, sequences and payloads. Spring Boot hands
 * {@link JavaMigration} beans to Flyway.
 */
@Component
class DeriveTurnsMigration implements JavaMigration {

	private static final int CHUNK = 1000;

	private static final String CLEAR_DERIVED = "truncate turn_usage, usage_rollup, session_error, turn, session_turn_state";

	private static final String SESSIONS = "select distinct session_id from event order by session_id";

	private static final String EVENTS = """
			select payload::text as payload, ingested_at from event
			where session_id = :sessionId and sequence > :after
			order by sequence
			limit :limit
			""";

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("10");
	}

	@Override
	public String getDescription() {
		return "derive turns credits and event times";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(context.getConnection(), true);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		NamedParameterJdbcTemplate template = new NamedParameterJdbcTemplate(dataSource);
		JdbcPageRepository pages = new JdbcPageRepository(jdbc, template,
				JdbcPageUsageRepository.beforeSessionBuckets(jdbc, template));
		jdbc.sql(CLEAR_DERIVED).update();
		for (String sessionId : jdbc.sql(SESSIONS).query(String.class).list()) {
			replay(jdbc, pages, sessionId);
		}
	}

	private static void replay(JdbcClient jdbc, JdbcPageRepository pages, String sessionId) {
		long last = 0;
		while (true) {
			List<Stored> chunk = jdbc.sql(EVENTS)
				.param("sessionId", sessionId)
				.param("after", last)
				.param("limit", CHUNK)
				.query((rs, n) -> new Stored(UpstreamEvent.of(rs.getString("payload")),
						rs.getObject("ingested_at", OffsetDateTime.class)))
				.list();
			if (chunk.isEmpty()) {
				return;
			}
			List<UpstreamEvent> events = chunk.stream().map(Stored::event).toList();
			PagePlan plan = PagePlan.of(sessionId, last, events, Map.of(), pages.history(sessionId, events),
					chunk.get(0).ingestedAt());
			pages.rederiveEvents(plan.events());
			pages.writeDerived(sessionId, plan);
			last = plan.lastSequence();
		}
	}

	private record Stored(UpstreamEvent event, OffsetDateTime ingestedAt) {
	}

}
