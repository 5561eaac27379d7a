package io.qoderevents.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	@Value("${local.management.port}")
	private int managementPort;

	@Test
	void spendDashboardWhenLoadedThenPanelsTileTheGridAndQueryExportedMetricsAndLabels() throws IOException {
		String session = TestEvents.sessionId();
		ingest(session, TestEvents.events(session, 3));
		List<String> metrics = new Api(this.managementPort).getRaw("/actuator/prometheus").body().lines().toList();
		JsonNode dashboard = Api.JSON.readTree(Files.readString(DASHBOARD));
		assertThat(dashboard.get("uid").asString()).isEqualTo("qoder-events-spend");
		Set<Integer> ids = new HashSet<>();
		boolean[][] grid = new boolean[200][24];
		Set<String> queried = new HashSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			String title = panel.get("title").asString();
			assertThat(ids.add(panel.get("id").asInt())).as("unique id of %s", title).isTrue();
			JsonNode place = panel.get("gridPos");
			int x = place.get("x").asInt();
			int y = place.get("y").asInt();
			assertThat(x + place.get("w").asInt()).as("%s fits 24 columns", title).isLessThanOrEqualTo(24);
			for (int row = y; row < y + place.get("h").asInt(); row++) {
				for (int column = x; column < x + place.get("w").asInt(); column++) {
					assertThat(grid[row][column]).as("%s overlaps another panel", title).isFalse();
					grid[row][column] = true;
				}
			}
			assertThat(panel.get("targets")).as("%s queries something", title).isNotEmpty();
			for (JsonNode target : panel.get("targets")) {
				Matcher selector = SELECTOR.matcher(target.get("expr").asString());
				while (selector.find()) {
					String metric = selector.group(1);
					queried.add(metric);
					List<String> series = metrics.stream().filter((line) -> line.startsWith(metric + "{")).toList();
					if (series.isEmpty() && BUDGET_GAUGES.contains(metric)) {
						continue;
					}
					assertThat(series).as("%s: %s exported", title, metric).isNotEmpty();
					Matcher matcher = MATCHER.matcher(selector.group(2));
					while (matcher.find()) {
						String label = matcher.group(1);
						if (!label.equals("job")) {
							assertThat(series).as("%s: %s has label %s", title, metric, label)
								.anyMatch((line) -> line.contains(label + "=\""));
						}
					}
				}
			}
		}
		assertThat(queried).containsAll(BUDGET_GAUGES).contains("qoder_credits_total", "qoder_tokens_total");
		Set<String> variables = new HashSet<>();
		dashboard.get("templating").get("list").forEach((variable) -> variables.add(variable.get("name").asString()));
		assertThat(variables).contains("datasource", "job", "budget");
	}

}
