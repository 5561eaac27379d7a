package io.qoderevents.usage;

import java.util.ArrayList;
import java.util.List;

import io.qoderevents.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports grouped and filtered by the sessions' latest attribution: agent, environment,
 * metadata keys, alone or in day buckets; sessions without the key under null, last;
 * pages over null keys; billed credits only where the window holds the whole session.
 */
class UsageAttributionTests extends PricedUsageSupport {

	private String payments;

	private String search;

	private String bare;

	@BeforeEach
	void threeSessions() {
		creditPrice("2026-01-01T00:00:00Z", "0.5");
		this.payments = creditsSession("1", "2026-11-30T09:00:01Z", "2", "2026-12-01T09:00:01Z");
		this.search = creditsSession("10", "2026-11-30T10:00:01Z");
		this.bare = creditsSession("100", "2026-12-01T11:00:01Z");
		snapshot(this.payments, "lite", "agent_a", "env_1", "{\"team\": \"payments\", \"project\": \"ledger\"}");
		snapshot(this.search, "lite", "agent_b", "env_2", "{\"team\": \"search\", \"tier\": 2}");
		snapshot(this.bare, "lite", null, null, "{}");
	}

	@Test
	void reportWhenGroupedByAttributeThenKeysInOrderAndSessionsWithoutItUnderNullLast() {
		JsonNode agents = json("/api/v1/usage?group_by=agent");
		assertThat(keys(agents)).containsExactly("agent_a", "agent_b", null);
		assertThat(credits(agents)).containsExactly("3", "10", "100");
		assertThat(agents.get("data").get(2).has("key")).isTrue();
		assertThat(decimal(agents.get("data").get(0).get("cost"))).isEqualTo("1.5");
		assertThat(agents.get("data").get(0).has("session_id")).isFalse();
		assertThat(agents.get("data").get(0).has("billed_credits")).isFalse();
		assertThat(keys(json("/api/v1/usage?group_by=environment"))).containsExactly("env_1", "env_2", null);
		JsonNode teams = json("/api/v1/usage?group_by=metadata.team");
		assertThat(teams.get("group_by").asString()).isEqualTo("metadata.team");
		assertThat(keys(teams)).containsExactly("payments", "search", null);
		assertThat(decimal(teams.get("totals").get("credits"))).isEqualTo("113");
		assertThat(keys(json("/api/v1/usage?group_by=metadata.tier"))).containsExactly("2", null);
	}

	@Test
	void reportWhenDayAndMetadataKeyThenBucketsStackedByTeamInTheZone() {
		JsonNode report = json("/api/v1/usage?group_by=day,metadata.team&tz=Europe/Berlin");
		assertThat(report.get("group_by").asString()).isEqualTo("day,metadata.team");
		List<String> rows = new ArrayList<>();
		report.get("data")
			.forEach((row) -> rows.add(row.get("bucket_start").asString() + " " + row.get("bucket_end").asString() + " "
					+ text(row.get("key")) + " " + decimal(row.get("credits")) + " " + decimal(row.get("cost"))));
		assertThat(rows).containsExactly("2026-11-30T00:00:00+01:00 2026-12-01T00:00:00+01:00 payments 1 0.5",
				"2026-11-30T00:00:00+01:00 2026-12-01T00:00:00+01:00 search 10 5",
				"2026-12-01T00:00:00+01:00 2026-12-02T00:00:00+01:00 payments 2 1",
				"2026-12-01T00:00:00+01:00 2026-12-02T00:00:00+01:00 null 100 50");
		JsonNode first = json("/api/v1/usage?group_by=day,metadata.team&tz=Europe/Berlin&limit=3");
		assertThat(first.get("data")).hasSize(3);
		JsonNode rest = json("/api/v1/usage?group_by=day,metadata.team&tz=Europe/Berlin&limit=3&cursor="
				+ first.get("next_cursor").asString());
		assertThat(keys(rest)).containsExactly((String) null);
		assertThat(rest.get("next_cursor").isNull()).isTrue();
	}

	@Test
	void reportWhenPagedOverNullKeysThenEveryKeyOnceAndTheLastPageEnds() {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = json(
					"/api/v1/usage?group_by=metadata.team&limit=1" + ((cursor != null) ? "&cursor=" + cursor : ""));
			seen.addAll(keys(page));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(seen).containsExactly("payments", "search", null);
		JsonNode afterNull = json("/api/v1/usage?group_by=agent&limit=2");
		JsonNode last = json("/api/v1/usage?group_by=agent&limit=2&cursor=" + afterNull.get("next_cursor").asString());
		assertThat(keys(last)).containsExactly((String) null);
		assertThat(last.get("next_cursor").isNull()).isTrue();
		Api.assertInvalid(
				get("/api/v1/usage?group_by=metadata.project&cursor=" + afterNull.get("next_cursor").asString()),
				"cursor");
	}

	@Test
	void reportWhenFilteredByAttributionThenOnlyMatchingSessionsAllKeysMustMatch() {
		assertThat(keys(json("/api/v1/usage?group_by=session&agent_id=agent_a"))).containsExactly(this.payments);
		assertThat(keys(json("/api/v1/usage?group_by=session&environment_id=env_2"))).containsExactly(this.search);
		assertThat(keys(json("/api/v1/usage?group_by=session&metadata.team=payments"))).containsExactly(this.payments);
		assertThat(keys(json("/api/v1/usage?group_by=session&metadata.team=payments&metadata.project=ledger")))
			.containsExactly(this.payments);
		assertThat(keys(json("/api/v1/usage?group_by=session&metadata.team=payments&metadata.project=other")))
			.isEmpty();
		assertThat(keys(json("/api/v1/usage?group_by=session&metadata.tier=2"))).containsExactly(this.search);
		JsonNode day = json("/api/v1/usage?group_by=day&metadata.team=payments&since=2026-12-01T00:00:00Z");
		assertThat(credits(day)).containsExactly("2");
		assertThat(decimal(day.get("totals").get("cost"))).isEqualTo("1");
		assertThat(keys(json("/api/v1/usage?group_by=agent&agent_id=agent_b&session_id=" + this.payments))).isEmpty();
	}

	@Test
	void reportWhenWindowCutsASessionThenItsBilledCreditsAreNull() {
		this.jdbc.sql("update session_snapshot set total_credits = 3.5, read_at = '2026-12-02T00:00:00Z'").update();
		JsonNode all = json("/api/v1/usage?group_by=session&session_id=" + this.payments);
		assertThat(decimal(all.get("data").get(0).get("billed_credits"))).isEqualTo("3.5");
		JsonNode cut = json("/api/v1/usage?group_by=session&since=2026-12-01T00:00:00Z");
		JsonNode row = cut.get("data")
			.valueStream()
			.filter((r) -> r.get("key").asString().equals(this.payments))
			.findFirst()
			.orElseThrow();
		assertThat(decimal(row.get("credits"))).isEqualTo("2");
		assertThat(row.has("billed_credits")).isTrue();
		assertThat(row.get("billed_credits").isNull()).isTrue();
		JsonNode whole = cut.get("data")
			.valueStream()
			.filter((r) -> r.get("key").asString().equals(this.bare))
			.findFirst()
			.orElseThrow();
		assertThat(decimal(whole.get("billed_credits"))).isEqualTo("3.5");
	}

	@Test
	void reportWhenGroupingOrFilterInvalidThen400NamingTheParameter() {
		for (String groupBy : List.of("metadata.", "metadata.a%20b", "day,hour", "agent,day", "day,metadata.team,agent",
				"week", "metadata")) {
			Api.assertInvalid(get("/api/v1/usage?group_by=" + groupBy), "group_by");
		}
		Api.assertInvalid(get("/api/v1/usage?metadata.=x"), "metadata.");
		Api.assertInvalid(get("/api/v1/usage?metadata.team="), "metadata.team");
		Api.assertInvalid(get("/api/v1/usage?metadata.team=a&metadata.team=b"), "metadata.team");
		Api.assertInvalid(get("/api/v1/usage?metadata.team=" + "x".repeat(300)), "metadata.team");
		Api.assertInvalid(get("/api/v1/usage?agent_id=%01"), "agent_id");
		Api.assertInvalid(get("/api/v1/usage?metadata_team=x"), "metadata_team");
		assertThat(get("/api/v1/usage?metadata.team=%27%3Bdrop%20table%20event").status()).isEqualTo(200);
	}

	private static List<String> keys(JsonNode report) {
		List<String> keys = new ArrayList<>();
		report.get("data").forEach((row) -> keys.add(text(row.get("key"))));
		return keys;
	}

	private static List<String> credits(JsonNode report) {
		List<String> credits = new ArrayList<>();
		report.get("data").forEach((row) -> credits.add(decimal(row.get("credits"))));
		return credits;
	}

	private static String text(JsonNode node) {
		return node.isNull() ? null : node.asString();
	}

}
