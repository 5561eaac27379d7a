package io.qoderevents.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana spend dashboard beside the operations one: its panels tile the grid and
 * query metrics the service exports, with their labels.
 */
class OpsSpendDashboardTests extends IntegrationTest {

	private static final Path DASHBOARD = Path.of("ops/grafana/qoder-events-spend.json");

	/**
	 * The budget gauges of the API contract ("Cost, attribution and budgets"), exported
	 * only once budgets are built and configured; their labels are checked when they are.
	 */
	private static final Set<String> BUDGET_GAUGES = Set.of("qoder_budget_spend", "qoder_budget_limit");

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void spendDashboardWhenLoadedThenPanelsTileTheGridAndQueryExportedMetricsAndLabels() throws IOException {
		String session = TestEvents.sessionId();
		ingest(session, TestEvents.events(session, 3));
		List<String> metrics = new Api(this.managementPort).getRaw("/actuator/prometheus").body().lines().toList();
		JsonNode dashboard = Api.JSON.readTree(Files.readString(DASHBOARD));
		assertThat(dashboard.get("uid").asString()).isEqualTo("qoder-events-spend");
		for (JsonNode panel : dashboard.get("panels")) {
			assertThat(panel.get("targets")).as("%s queries something", panel.get("title").asString()).isNotEmpty();
		}
		Set<String> queried = GrafanaDashboards.assertPanels(dashboard, metrics, BUDGET_GAUGES);
		assertThat(queried).containsAll(BUDGET_GAUGES).contains("qoder_credits_total", "qoder_tokens_total");
		Set<String> variables = new HashSet<>();
		dashboard.get("templating").get("list").forEach((variable) -> variables.add(variable.get("name").asString()));
		assertThat(variables).contains("datasource", "job", "budget");
	}

}
