package io.qoderevents.usage;

import io.qoderevents.Api.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost priced when read: each unit at the price in effect at its time, both upstream
 * shapes in one report, prices added for the past, models without a price, exact sums.
 */
class UsageCostTests extends PricedUsageSupport {

	@Test
	void reportWhenPriceChangesInsideADayThenEachSideAtItsOwnRateWithTokensBeside() {
		creditPrice("2026-01-01T00:00:00Z", "0.04");
		creditPrice("2026-11-30T12:00:00Z", "0.05");
		tokensPrice("ultimate", "2026-01-01T00:00:00Z");
		String credits = creditsSession("1.25", "2026-11-30T09:00:01Z", "2.8", "2026-11-30T13:00:01Z");
		String tokens = tokensSession("2026-11-30T10:00:00Z");
		snapshot(credits, "lite", null, null, null);
		snapshot(tokens, "ultimate", null, null, null);
		JsonNode day = json("/api/v1/usage?group_by=day");
		assertThat(day.get("currency").asString()).isEqualTo("EUR");
		assertThat(day.get("group_by").asString()).isEqualTo("day");
		JsonNode row = day.get("data").get(0);
		assertThat(day.get("data")).hasSize(1);
		assertThat(decimal(row.get("credits"))).isEqualTo("4.05");
		assertThat(row.get("total_tokens").asLong()).isEqualTo(11600);
		// 1.25 * 0.04 + 2.8 * 0.05 + (1000 * 3 + 200 * 15 + 10000 * 0.30 + 400 * 3.75) /
		// 1e6
		assertThat(decimal(row.get("cost"))).isEqualTo("0.2005");
		assertThat(decimal(day.get("totals").get("cost"))).isEqualTo("0.2005");
		assertThat(day.get("unpriced")).isEmpty();
		JsonNode bySession = json("/api/v1/usage?group_by=session&session_id=" + credits);
		assertThat(decimal(bySession.get("data").get(0).get("cost"))).isEqualTo("0.19");
		JsonNode afternoon = json("/api/v1/usage?group_by=day&since=2026-11-30T12:00:00Z");
		assertThat(decimal(afternoon.get("totals").get("cost"))).isEqualTo("0.14");
		JsonNode cut = json("/api/v1/usage?group_by=model&since=2026-11-30T09:00:01Z&until=2026-11-30T13:00:01Z");
		assertThat(decimal(cut.get("totals").get("credits"))).isEqualTo("1.25");
		assertThat(decimal(cut.get("totals").get("cost"))).isEqualTo("0.0605");
		JsonNode one = json("/api/v1/sessions/" + credits + "/usage");
		assertThat(decimal(one.get("cost"))).isEqualTo("0.19");
		assertThat(decimal(one.get("by_turn").get(0).get("cost"))).isEqualTo("0.19");
		assertThat(one.get("currency").asString()).isEqualTo("EUR");
		JsonNode tokensUsage = json("/api/v1/sessions/" + tokens + "/usage");
		assertThat(decimal(tokensUsage.get("cost"))).isEqualTo("0.0105");
	}

	@Test
	void reportWhenPriceAddedForThePastThenTheNextReportIsRepriced() {
		String session = creditsSession("2", "2026-11-30T09:00:01Z", "3", "2026-11-30T09:20:00Z");
		JsonNode before = json("/api/v1/usage?group_by=session");
		assertThat(before.get("data").get(0).get("cost").isNull()).isTrue();
		assertThat(before.get("totals").get("cost").isNull()).isTrue();
		JsonNode unpriced = before.get("unpriced").get(0);
		assertThat(unpriced.get("kind").asString()).isEqualTo("credit");
		assertThat(unpriced.get("model").isNull()).isTrue();
		assertThat(unpriced.get("from").asString()).isEqualTo("2026-11-30T09:00:00Z");
		assertThat(unpriced.get("until").isNull()).isTrue();
		Response added = this.api.post("/api/v1/prices", """
				{"kind": "credit", "from": "2026-11-30T09:15:00Z", "price": 0.1}""", "Authorization",
				"Bearer " + ADMIN_KEY, "Content-Type", "application/json");
		assertThat(added.status()).as(added.body()).isEqualTo(201);
		JsonNode partly = json("/api/v1/usage?group_by=session");
		assertThat(decimal(partly.get("data").get(0).get("cost"))).isEqualTo("0.3");
		assertThat(partly.get("unpriced").get(0).get("until").asString()).isEqualTo("2026-11-30T09:15:00Z");
		this.api.post("/api/v1/prices", """
				{"kind": "credit", "from": "2026-01-01T00:00:00Z", "price": 0.2}""", "Authorization",
				"Bearer " + ADMIN_KEY, "Content-Type", "application/json");
		JsonNode after = json("/api/v1/usage?group_by=session");
		assertThat(decimal(after.get("data").get(0).get("cost"))).isEqualTo("0.7");
		assertThat(after.get("unpriced")).isEmpty();
		assertThat(json("/api/v1/sessions/" + session + "/usage").get("unpriced")).isEmpty();
	}

	@Test
	void reportWhenModelHasNoPriceThenCostNullAndUnpricedNamesIt() {
		creditPrice("2026-01-01T00:00:00Z", "0.04");
		tokensPrice("ultimate", "2026-01-01T00:00:00Z");
		String session = tokensSession("2026-11-30T10:05:00Z");
		snapshot(session, "mystery", null, null, null);
		JsonNode report = json("/api/v1/usage?group_by=model");
		JsonNode row = report.get("data").get(0);
		assertThat(row.get("key").asString()).isEqualTo("mystery");
		assertThat(row.get("cost").isNull()).isTrue();
		assertThat(report.get("totals").get("cost").isNull()).isTrue();
		JsonNode unpriced = report.get("unpriced").get(0);
		assertThat(report.get("unpriced")).hasSize(1);
		assertThat(unpriced.get("kind").asString()).isEqualTo("tokens");
		assertThat(unpriced.get("model").asString()).isEqualTo("mystery");
		assertThat(unpriced.get("from").asString()).isEqualTo("2026-11-30T10:00:00Z");
		JsonNode usage = json("/api/v1/sessions/" + session + "/usage");
		assertThat(usage.get("cost").isNull()).isTrue();
		assertThat(usage.get("by_turn").get(0).get("cost").isNull()).isTrue();
		assertThat(usage.get("unpriced").get(0).get("model").asString()).isEqualTo("mystery");
		assertThat(usage.get("unpriced").get(0).get("from").asString()).isEqualTo("2026-11-30T10:05:00Z");
	}

	@Test
	void reportWhenDecimalsAddUpThenExactlyAsWrittenNeverInFloatingPoint() {
		creditPrice("2026-01-01T00:00:00Z", "0.1");
		creditsSession("0.1", "2026-11-30T09:00:01Z", "0.2", "2026-11-30T09:30:01Z");
		Response report = get("/api/v1/usage?group_by=day");
		assertThat(report.body()).contains("\"credits\":0.3,").contains("\"cost\":0.03}");
		assertThat(decimal(EXACT.readTree(report.body()).get("totals").get("cost"))).isEqualTo("0.03");
	}

	@Test
	void sessionUsageWhenBilledCreditsReadThenBilledCostAtThePriceWhenRead() {
		creditPrice("2026-01-01T00:00:00Z", "0.04");
		creditPrice("2026-12-01T00:00:00Z", "0.05");
		String session = creditsSession("1.25", "2026-11-30T09:00:01Z");
		this.jdbc
			.sql("update session_snapshot set total_credits = 9.10, read_at = '2026-11-30T10:00:00Z' "
					+ "where session_id = ?")
			.param(session)
			.update();
		JsonNode usage = json("/api/v1/sessions/" + session + "/usage");
		assertThat(decimal(usage.get("billed_credits"))).isEqualTo("9.10");
		assertThat(decimal(usage.get("billed_cost"))).isEqualTo("0.364");
		assertThat(decimal(usage.get("cost"))).isEqualTo("0.05");
	}

}
