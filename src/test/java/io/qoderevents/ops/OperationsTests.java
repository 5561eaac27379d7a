package io.qoderevents.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees: health groups, build info, the documented metrics and the
 * Grafana dashboard built on them.
 */
class OperationsTests extends IntegrationTest {

	private static final Path DASHBOARD = Path.of("ops/grafana/qoder-events.json");

	/** A metric name and its label matchers, as PromQL writes a selector. */
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
	void infoWhenBuiltFromACloneThenShowsBuildAndGitData() {
		assertThat(new Api(this.managementPort).getRaw("/actuator/info").body()).contains("\"build\"")
			.contains("qoder-events")
			.containsPattern("\"git\":\\{.*\"commit\":\\{.*\"id\":\"[0-9a-f]{7,}\"");
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

	@Test
	void prometheusWhenPolledAndApiCalledThenTimersPublishHistogramBuckets() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		this.tracking.track(session);
		this.ingest.pollDue();
		assertThat(this.api.getRaw("/api/v1/tracked-sessions").status()).isEqualTo(200);
		List<String> metrics = new Api(this.managementPort).getRaw("/actuator/prometheus").body().lines().toList();
		assertThat(metrics).anyMatch((line) -> line.startsWith("qoder_poll_cycle_seconds_bucket{")
				&& line.contains("le=\"1800.0\"") && !line.endsWith(" 0"));
		assertThat(metrics).anyMatch((line) -> line.startsWith("http_client_requests_seconds_bucket{")
				&& line.contains("status=\"200\"") && !line.endsWith(" 0"));
		assertThat(metrics).anyMatch((line) -> line.startsWith("http_server_requests_seconds_bucket{")
				&& line.contains("uri=\"/api/v1/tracked-sessions\"") && !line.endsWith(" 0"));
	}

	@Test
	void dashboardWhenLoadedThenPanelsTileTheGridAndQueryExportedMetricsAndLabels() throws IOException {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		this.tracking.track(session);
		this.ingest.pollDue();
		this.api.getRaw("/api/v1/tracked-sessions");
		List<String> metrics = new Api(this.managementPort).getRaw("/actuator/prometheus").body().lines().toList();
		JsonNode dashboard = Api.JSON.readTree(Files.readString(DASHBOARD));
		Set<String> queried = GrafanaDashboards.assertPanels(dashboard, metrics, Set.of());
		assertThat(queried).contains("http_server_requests_seconds_bucket", "http_client_requests_seconds_bucket",
				"qoder_poll_cycle_seconds_bucket", "jvm_memory_used_bytes", "hikaricp_connections_active",
				"qoder_tracked_sessions");
	}

	private static double value(String metrics, String series) {
		return metrics.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElse(-1);
	}

}
