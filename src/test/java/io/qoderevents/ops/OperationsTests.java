package io.qoderevents.ops;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator sees: health groups, build info and the documented metrics. */
class OperationsTests extends IntegrationTest {

	@Value("${local.management.port}")
	private int managementPort;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private IngestService ingest;

	@Test
	void healthWhenDatabaseUpThenLivenessAndReadinessUp() {
		Api management = new Api(this.managementPort);
		assertThat(management.getRaw("/actuator/health/liveness").body()).contains("\"status\":\"UP\"");
		assertThat(management.getRaw("/actuator/health/readiness").body()).contains("\"status\":\"UP\"")
			.contains("\"db\"");
	}

	@Test
	void infoWhenBuiltThenShowsBuildData() {
		assertThat(new Api(this.managementPort).getRaw("/actuator/info").body()).contains("\"build\"")
			.contains("qoder-events");
	}

	@Test
	void prometheusWhenSessionIngestedThenDocumentedMetricsExported() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 120));
		this.upstream.append(session, TestEvents.idle(session, TestEvents.eventId(), TestEvents.turnId(),
				"2026-05-18T03:45:00Z", 150, 42, 7, 3));
		this.upstream.append(session, "{\"type\":\"user.message\"}");
		this.tracking.track(session);
		this.ingest.pollDue();
		String metrics = new Api(this.managementPort).getRaw("/actuator/prometheus").body();
		// counters are shared with other tests of this context: assert presence and a
		// floor, not exact values
		assertThat(value(metrics, "qoder_events_ingested_total{application=\"qoder-events\",type=\"user.message\"}"))
			.isGreaterThanOrEqualTo(120);
		assertThat(value(metrics, "qoder_events_quarantined_total{application=\"qoder-events\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(value(metrics, "qoder_tokens_total{application=\"qoder-events\",kind=\"input\"}"))
			.isGreaterThanOrEqualTo(150);
		assertThat(value(metrics, "qoder_tokens_total{application=\"qoder-events\",kind=\"cache_creation\"}"))
			.isGreaterThanOrEqualTo(3);
		assertThat(metrics).contains("qoder_pages_fetched_total")
			.contains("qoder_upstream_requests_total{application=\"qoder-events\",purpose=\"events\",status=\"200\"}")
			.contains("qoder_upstream_budget_used")
			.contains("qoder_sessions_unread{application=\"qoder-events\",le=\"+Inf\"}")
			.contains("qoder_upstream_retry_after_waits_total")
			.contains("qoder_poll_cycle_seconds_count")
			.contains("qoder_ingestion_behind_seconds")
			.contains("qoder_tracked_sessions{application=\"qoder-events\",state=\"active\"}");
	}

	private static double value(String metrics, String series) {
		return metrics.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElse(-1);
	}

}
