package io.qoderevents.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 15-minute rollup answers exactly what the usage rows answer, in any zone, and never
 * counts twice.
 */
class UsageRollupTests extends IntegrationTest {

	@Test
	void usageByDayWhenRollupAndRowsAnswerThenSameNumbers() {
		String first = TestEvents.sessionId();
		String second = TestEvents.sessionId();
		ingest(first, turns(first, "2026-05-18T15:40:00Z", 40));
		ingest(second, turns(second, "2026-05-18T17:10:00Z", 30));
		// a turn paused (requires_action) then completed: two idle events, one turn
		String turn = TestEvents.turnId();
		this.upstream.append(second,
				TestEvents.idle(second, TestEvents.eventId(), turn, "2026-05-19T09:00:00Z", 1, 1, 0, 0));
		this.upstream.append(second,
				TestEvents.idle(second, TestEvents.eventId(), turn, "2026-05-19T09:20:00Z", 2, 2, 0, 0));
		syncNow(second);
		// re-reading from the start changes nothing
		this.jdbc.sql("update tracked_session set cursor = null").update();
		syncNow(first);
		syncNow(second);
		for (String zone : List.of("UTC", "Asia/Kolkata", "America/St_Johns", "Asia/Kathmandu")) {
			for (String unit : List.of("day", "hour")) {
				// all sessions on quarter hours: the rollup; naming both sessions: the
				// usage rows
				JsonNode rollup = Api
					.json(api.get("/api/v1/usage?group_by={unit}&tz={tz}&since=2026-05-18T00:00:00Z" + "&limit=1000",
							unit, zone));
				JsonNode rows = Api.json(this.api.get("/api/v1/usage?group_by={unit}&tz={tz}&since=2026-05-18T00:00:00Z"
						+ "&session_id={a}&session_id={b}&limit=1000", unit, zone, first, second));
				assertThat(rollup.get("data")).as(zone + " " + unit).isEqualTo(rows.get("data"));
				assertThat(rollup.get("totals")).isEqualTo(rows.get("totals"));
				assertThat(rollup.get("totals").get("turns").asLong()).isEqualTo(71);
				assertThat(rollup.get("totals").get("input_tokens").asLong()).isEqualTo(70 * 100 + 3);
			}
		}
		assertThat(bucketsDifferingFromUsageRows()).isZero();
		assertThat(this.jdbc.sql("select sum(turns) from session_usage_bucket").query(Long.class).single())
			.isEqualTo(71);
	}

	/**
	 * Session buckets that the usage rows, summed per session and 15 minutes, do not
	 * give.
	 */
	private long bucketsDifferingFromUsageRows() {
		return this.jdbc
			.sql("""
					with from_rows as (
					    select session_id, date_bin('15 minutes', completed_at, timestamptz '2000-01-01 00:00:00+00') as bucket,
					           sum(input_tokens) as i, sum(output_tokens) as o, sum(cache_read_input_tokens) as r,
					           sum(cache_creation_input_tokens) as c, sum(credits) as credits, sum(model_requests) as m,
					           count(*) filter (where counts_turn) as turns
					    from turn_usage group by 1, 2),
					kept as (
					    select session_id, bucket, input_tokens, output_tokens, cache_read_input_tokens,
					           cache_creation_input_tokens, credits, model_requests, turns
					    from session_usage_bucket)
					select count(*) from ((select * from from_rows except select * from kept)
					                      union all (select * from kept except select * from from_rows)) d""")
			.query(Long.class)
			.single();
	}

	private static List<String> turns(String session, String start, int count) {
		List<String> events = new ArrayList<>();
		Instant at = Instant.parse(start);
		for (int i = 0; i < count; i++) {
			events.add(TestEvents.idle(session, TestEvents.eventId(), TestEvents.turnId(),
					at.plusSeconds(i * 7 * 60L).toString(), 100, 10, 5, 1));
		}
		return events;
	}

}
