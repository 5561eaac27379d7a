package io.qoderevents.budgets;

import java.time.Instant;
import java.util.List;

import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Usage and prices the budget tests spend. */
final class BudgetFixtures {

	private static final String TURN_ID = "turn_019e392c0d787ceea6bb62943f9ac3ec";

	private BudgetFixtures() {
	}

	/**
	 * A turn in today's shape that completes a few seconds after {@code at}, one model
	 * call per amount of credits.
	 */
	static List<String> todayTurn(String prefix, Instant at, String... credits) {
		List<String> events = new java.util.ArrayList<>();
		events.add(TodayEvents.running(prefix + "_r", at.toString()));
		events.add(TodayEvents.userMessage(prefix + "_m", at.plusSeconds(1).toString()));
		for (int i = 0; i < credits.length; i++) {
			Instant call = at.plusSeconds(2 + 2L * i);
			events.add(TodayEvents.spanStart(prefix + "_s" + i, call.toString()));
			events.add(TodayEvents.spanEnd(prefix + "_e" + i, prefix + "_s" + i, call.plusSeconds(1).toString(),
					TodayEvents.credits(credits[i])));
		}
		Instant end = at.plusSeconds(2 + 2L * credits.length);
		events.add(TodayEvents.agentMessage(prefix + "_a", end.toString()));
		events.add(TodayEvents.idle(prefix + "_i", end.plusSeconds(1).toString(), TodayEvents.endTurn()));
		return events;
	}

	/** A turn in the primary contract's shape whose idle at {@code at} reports tokens. */
	static List<String> tokensTurn(String sessionId, Instant at, long input, long output, long cacheRead,
			long cacheCreation) {
		return List.of(TestEvents.message(sessionId, TestEvents.eventId(), at.minusSeconds(5)), TestEvents
			.idle(sessionId, TestEvents.eventId(), TURN_ID, at.toString(), input, output, cacheRead, cacheCreation));
	}

	/** Sets the session's attribution as its latest snapshot would. */
	static void attribute(JdbcClient jdbc, String sessionId, String model, String agentId, String team) {
		jdbc.sql("""
				insert into session_snapshot (session_id, model, agent_id, metadata)
				values (:session, :model, :agent, jsonb_build_object('team', :team::text))
				on conflict (session_id) do update
				set model = excluded.model, agent_id = excluded.agent_id, metadata = excluded.metadata
				""")
			.param("session", sessionId)
			.param("model", model)
			.param("agent", agentId)
			.param("team", team)
			.update();
	}

	/**
	 * The test settings' prices, alone in the price table: 0.04 a credit, the
	 * {@code ultimate} model's tokens at 3.00, 15.00, 0.30 and 3.75 a million.
	 */
	static void prices(JdbcClient jdbc) {
		jdbc.sql("delete from price").update();
		jdbc.sql("""
				insert into price (kind, model, valid_from, price, input, output, cache_read, cache_creation, source,
				                   created_at)
				values ('credit', null, '2026-01-01T00:00:00Z', 0.04, null, null, null, null, 'settings', now()),
				       ('tokens', 'ultimate', '2026-01-01T00:00:00Z', null, 3.00, 15.00, 0.30, 3.75, 'settings', now())
				""").update();
	}

}
