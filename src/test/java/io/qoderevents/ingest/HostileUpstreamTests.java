package io.qoderevents.ingest;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a broken or hostile upstream sends is stored or quarantined as documented, and the
 * numbers stay right.
 */
class HostileUpstreamTests extends IntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Test
	void pollWhenEventIsOneMegabyteThenStoredWhole() {
		String session = tracked(0);
		String big = "x".repeat(1024 * 1024);
		this.upstream.append(session, "{\"id\":\"evt_big\",\"type\":\"agent.message\",\"content\":[{\"type\":\"text\","
				+ "\"text\":\"" + big + "\"}],\"created_at\":\"2026-05-18T03:40:48Z\"}");
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		poll(session);
		assertThat(this.jdbc.sql("select length(payload #>> '{content,0,text}') from event where id = 'evt_big'")
			.query(Integer.class)
			.single()).isEqualTo(big.length());
		assertThat(count("select count(*) from event where session_id = ?", session)).isEqualTo(4);
	}

	@Test
	void pollWhenEventIsDeeplyNestedThenStored() {
		String session = tracked(0);
		int depth = 2000;
		String nested = "[".repeat(depth) + "1" + "]".repeat(depth);
		this.upstream.append(session,
				"{\"id\":\"evt_deep\",\"type\":\"agent.tool_result\",\"content\":" + nested + "}");
		this.upstream.appendAll(session, TestEvents.events(session, 2));
		poll(session);
		assertThat(count("select count(*) from event where session_id = ?", session)).isEqualTo(3);
		assertThat(row(session).get("state")).isEqualTo("active");
	}

	@Test
	void pollWhenUsageTokensHaveUnexpectedTypesThenCountedAsDocumented() {
		String session = tracked(0);
		this.upstream.append(session, """
				{"id":"evt_u1","type":"session.status_idle","turn_id":"turn_1","created_at":"2026-05-18T03:40:48Z",
				 "usage":{"input_tokens":"150","output_tokens":-42,"cache_read_input_tokens":null,
				          "cache_creation_input_tokens":"lots"}}""");
		this.upstream.append(session, """
				{"id":"evt_u2","type":"session.status_idle","turn_id":"turn_2","created_at":"2026-05-18T03:41:48Z",
				 "usage":{"input_tokens":10.5,"output_tokens":7,"cache_read_input_tokens":3}}""");
		this.upstream.append(session, """
				{"id":"evt_u3","type":"session.status_idle","turn_id":"turn_3","created_at":"2026-05-18T03:42:48Z"}""");
		this.upstream.append(session, """
				{"id":"evt_u4","type":"session.status_idle","turn_id":"turn_4","created_at":"2026-05-18T03:43:48Z",
				 "usage":"not an object"}""");
		poll(session);
		Map<String, Object> totals = this.jdbc.sql("""
				select count(*) as turns, sum(input_tokens) as input, sum(output_tokens) as output,
				       sum(cache_read_input_tokens) as cache_read, sum(cache_creation_input_tokens) as cache_creation
				from turn_usage where session_id = ?""").param(session).query().singleRow();
		// numeric strings count; negative, null, fractional, text and missing count 0
		assertThat(totals).containsEntry("turns", 4L)
			.containsEntry("input", BigDecimal.valueOf(150))
			.containsEntry("output", BigDecimal.valueOf(7))
			.containsEntry("cache_read", BigDecimal.valueOf(3))
			.containsEntry("cache_creation", BigDecimal.ZERO);
		assertThat(count("select count(*) from event where session_id = ?", session)).isEqualTo(4);
	}

	@Test
	void pollWhenPageRepeatsAnIdThenFirstStoredAndRepeatQuarantined() {
		String session = tracked(0);
		String event = TestEvents.message(session, "evt_twice", Instant.parse("2026-05-18T03:40:48Z"));
		this.upstream.append(session, event);
		this.upstream.append(session, event);
		this.upstream.appendAll(session, TestEvents.events(session, 2));
		poll(session);
		assertThat(stored(session)).hasSize(3).first().isEqualTo("evt_twice");
		assertThat(this.jdbc.sql("select reason from quarantined_event where session_id = ?")
			.param(session)
			.query(String.class)
			.list()).containsExactly("duplicate_id_in_page");
		assertThat(row(session).get("quarantined_count")).isEqualTo(1L);
	}

	@Test
	void pollWhenIdAlreadyStoredUnderAnotherSessionThenQuarantinedAndOriginalUntouched() {
		String first = tracked(0);
		this.upstream.append(first,
				TestEvents.idle(first, "evt_shared", "turn_a", "2026-05-18T03:40:48Z", 100, 10, 0, 0));
		poll(first);
		String second = tracked(0);
		this.upstream.append(second,
				TestEvents.idle(second, "evt_shared", "turn_b", "2026-05-18T04:40:48Z", 999, 99, 9, 9));
		this.upstream.appendAll(second, TestEvents.events(second, 2));
		poll(second);
		assertThat(this.jdbc.sql("select session_id from event where id = 'evt_shared'").query(String.class).single())
			.isEqualTo(first);
		assertThat(stored(second)).hasSize(2);
		assertThat(this.jdbc.sql("select reason from quarantined_event where session_id = ?")
			.param(second)
			.query(String.class)
			.list()).containsExactly("id_of_another_session");
		assertThat(this.jdbc.sql("select sum(input_tokens) from turn_usage").query(Long.class).single()).isEqualTo(100);
	}

	@Test
	void pollWhenAnotherSessionStoresAnIdOfThePageMeanwhileThenPagePlannedAgainWithoutAGap() throws Exception {
		String first = tracked(0);
		String second = tracked(0);
		this.upstream.append(second, TestEvents.message(second, "evt_a", Instant.parse("2026-05-18T03:40:48Z")));
		this.upstream.append(second, TestEvents.message(second, "evt_raced", Instant.parse("2026-05-18T03:40:49Z")));
		this.upstream.append(second, TestEvents.message(second, "evt_b", Instant.parse("2026-05-18T03:40:50Z")));
		try (Connection other = this.dataSource.getConnection()) {
			other.setAutoCommit(false);
			try (Statement statement = other.createStatement()) {
				statement.executeUpdate("insert into event (id, session_id, sequence, type, event_time, payload)"
						+ " values ('evt_raced', '" + first + "', 1, 'user.message', now(), '{}')");
			}
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<Integer> poll = executor.submit(() -> syncNow(second));
				// the page's check did not see the uncommitted row: its insert waits for
				// it
				await(() -> count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
						+ " and query like 'copy event%'") == 1);
				other.commit();
				poll.get(30, TimeUnit.SECONDS);
			}
			finally {
				executor.shutdownNow();
			}
		}
		assertThat(stored(second)).containsExactly("evt_a", "evt_b");
		assertSequences(second, 2);
		assertThat(this.jdbc.sql("select reason from quarantined_event where session_id = ?")
			.param(second)
			.query(String.class)
			.list()).containsExactly("id_of_another_session");
		assertThat(this.jdbc.sql("select session_id from event where id = 'evt_raced'").query(String.class).single())
			.isEqualTo(first);
	}

	@Test
	void pollWhenEventTextHasEscapesControlWhitespaceAndNonAsciiThenStoredAsSent() {
		String session = tracked(0);
		String raw = "{\"id\":\"evt_text\",\t\"type\":\"agent.message\",\r\n \"content\":[{\"type\":\"text\","
				+ "\"text\":\"back\\\\slash \\\"quoted\\\" \\n\\t\\u00e9 é 日本 😀 \\\\N\"}],\n"
				+ "\"created_at\":\"2026-05-18T03:40:48Z\"}";
		this.upstream.append(session, raw);
		this.upstream.appendAll(session, TestEvents.events(session, 1));
		poll(session);
		assertThat(this.jdbc.sql("select payload = cast(? as jsonb) from event where id = 'evt_text'")
			.param(raw)
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.jdbc.sql("select payload #>> '{content,0,text}' from event where id = 'evt_text'")
			.query(String.class)
			.single()).isEqualTo("back\\slash \"quoted\" \n\t\u00e9 é 日本 😀 \\N");
	}

	@Test
	void pollWhenTimestampsOutsideYearsOneToNineThousandThenStoredAtThatTime() {
		String session = tracked(0);
		this.upstream.append(session,
				"{\"id\":\"evt_far\",\"type\":\"user.message\",\"created_at\":\"+12026-05-18T03:40:48.5Z\"}");
		this.upstream.append(session,
				"{\"id\":\"evt_bc\",\"type\":\"agent.message\",\"created_at\":\"-0001-05-18T03:40:48Z\"}");
		poll(session);
		assertThat(this.jdbc
			.sql("select id, cast(extract(year from event_time at time zone 'UTC') as int) as year,"
					+ " cast(extract(second from event_time) as numeric(4,1)) as second from event"
					+ " where session_id = ? order by sequence")
			.param(session)
			.query()
			.listOfRows()).containsExactly(Map.of("id", "evt_far", "year", 12026, "second", new BigDecimal("48.5")),
					Map.of("id", "evt_bc", "year", -2, "second", new BigDecimal("48.0")));
	}

	@Test
	void pollWhenEventHoldsNulCharacterThenQuarantinedAndIngestionGoesOn() {
		String session = tracked(0);
		this.upstream.append(session, "{\"id\":\"evt_nul\",\"type\":\"user.message\",\"content\":\"a\\u0000b\"}");
		this.upstream.append(session, "{\"id\":\"evt_ok\",\"type\":\"user.message\",\"content\":\"a\\\\u0000b\"}");
		poll(session);
		assertThat(stored(session)).containsExactly("evt_ok");
		assertThat(this.jdbc.sql("select reason from quarantined_event where session_id = ?")
			.param(session)
			.query(String.class)
			.list()).containsExactly("nul_character");
	}

	@Test
	void pollWhenTimestampsOddThenStoredWithRawKept() {
		String session = tracked(0);
		this.upstream.append(session,
				"""
						{"id":"evt_t1","type":"user.message","created_at":"yesterday","processed_at":"2026-05-18T03:40:48.1Z"}""");
		this.upstream.append(session, """
				{"id":"evt_t2","type":"user.message","created_at":"2026-05-18T11:40:48.123456789+08:00"}""");
		this.upstream.append(session, """
				{"id":"evt_t3","type":"user.message","created_at":12345}""");
		poll(session);
		assertThat(stored(session)).containsExactly("evt_t1", "evt_t2", "evt_t3");
		// an unreadable created_at falls back to processed_at, then to the time of the
		// event before
		assertThat(this.jdbc.sql("select event_time = '2026-05-18T03:40:48.1Z' from event where id = 'evt_t1'")
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.jdbc.sql("select event_time = '2026-05-18T03:40:48.123457Z' from event where id = 'evt_t2'")
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(this.jdbc.sql("select event_time = '2026-05-18T03:40:48.123457Z' from event where id = 'evt_t3'")
			.query(Boolean.class)
			.single()).isTrue();
	}

	private void poll(String session) {
		syncNow(session);
	}

}
