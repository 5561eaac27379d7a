package io.qoderevents.console;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/ingestion}: what the console's Ingestion page shows. */
class ConsoleIngestionTests extends IntegrationTest {

	@Test
	void ingestionWhenSessionsOverdueAndUnreadThenCountedWithTheLastSweep() {
		String read = tracked(3);
		syncNow(read);
		this.jdbc.sql("""
				insert into tracked_session (session_id, state, tracked_at, last_success_at, next_poll_at)
				values ('sess_0000000000000000000000000000aaa1', 'active', now() - interval '3 hours',
				        now() - interval '2 hours', now() - interval '10 minutes'),
				       ('sess_0000000000000000000000000000aaa2', 'completed', now() - interval '3 hours',
				        now() - interval '2 hours', null)
				""").update();
		this.jdbc
			.sql("insert into job_lease (name, owner, lease_until, full_at) values ('sweep', 'replica-a',"
					+ " now() + interval '1 minute', now() - interval '30 seconds')")
			.update();
		JsonNode report = Api.json(this.api.get("/api/v1/ingestion"));
		assertThat(report.get("overdue_sessions").asLong()).isEqualTo(1);
		assertThat(report.get("unread_too_long").asLong()).isEqualTo(1);
		assertThat(report.get("allowed_unread_seconds").asLong()).isEqualTo(3600 + 5);
		assertThat(report.get("behind_seconds").asDouble()).isBetween(590.0, 700.0);
		assertThat(report.get("sessions_by_state").get("active").asLong()).isEqualTo(2);
		assertThat(report.get("sessions_by_state").get("completed").asLong()).isEqualTo(1);
		assertThat(report.get("last_sweep").get("owner").asString()).isEqualTo("replica-a");
		assertThat(report.get("last_sweep").get("full_at").asString()).isNotEmpty();
		assertThat(report.get("upstream").get("requests_per_second").isObject()).isTrue();
		assertThat(report.get("live_streams_open").asLong()).isZero();
	}

	@Test
	void ingestionWhenNothingTrackedThenZerosAndNoSweep() {
		JsonNode report = Api.json(this.api.get("/api/v1/ingestion"));
		assertThat(report.get("overdue_sessions").asLong()).isZero();
		assertThat(report.get("unread_too_long").asLong()).isZero();
		assertThat(report.get("last_sweep").isNull()).isTrue();
		assertThat(report.propertyNames()).contains("checked_at", "upstream", "live_streams_open");
	}

}
