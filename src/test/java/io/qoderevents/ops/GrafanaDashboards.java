package io.qoderevents.ops;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every Grafana dashboard of {@code ops/grafana} passes: panels with unique
 * ids laid out on the 24-column grid without overlapping, each query's metrics exported
 * with the labels it selects on.
 */
final class GrafanaDashboards {

	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private GrafanaDashboards() {
	}

	/**
	 * Checks the dashboard's panels against the scraped {@code metrics} lines; a metric
	 * of {@code mayBeAbsent} need not be exported yet.
	 * @return every metric the panels query
	 */
	static Set<String> assertPanels(JsonNode dashboard, List<String> metrics, Set<String> mayBeAbsent) {
		Set<Integer> ids = new HashSet<>();
		boolean[][] grid = new boolean[200][24];
		Set<String> queried = new HashSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			String title = panel.get("title").asString();
			assertThat(ids.add(panel.get("id").asInt())).as("unique id of %s", title).isTrue();
			JsonNode place = panel.get("gridPos");
			for (String field : new String[] { "x", "y", "w", "h" }) {
				assertThat(place.get(field).isInt()).as("%s gridPos.%s", title, field).isTrue();
			}
			int x = place.get("x").asInt();
			int y = place.get("y").asInt();
			assertThat(x + place.get("w").asInt()).as("%s fits 24 columns", title).isLessThanOrEqualTo(24);
			for (int row = y; row < y + place.get("h").asInt(); row++) {
				for (int column = x; column < x + place.get("w").asInt(); column++) {
					assertThat(grid[row][column]).as("%s overlaps another panel", title).isFalse();
					grid[row][column] = true;
				}
			}
			for (JsonNode target : panel.get("targets")) {
				Matcher selector = SELECTOR.matcher(target.get("expr").asString());
				while (selector.find()) {
					String metric = selector.group(1);
					queried.add(metric);
					List<String> series = metrics.stream().filter((line) -> line.startsWith(metric + "{")).toList();
					if (series.isEmpty() && mayBeAbsent.contains(metric)) {
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
		return queried;
	}

}
