package io.qoderevents.budgets;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database answer the same budgets without talking to each other:
 * the state and its crossing times are derived from the stored buckets.
 */
@TestPropertySource(locations = "classpath:io/qoderevents/budgets/budgets.properties")
class BudgetReplicaTests extends IntegrationTest {

	@BeforeEach
	void testPrices() {
		BudgetFixtures.prices(this.jdbc);
	}

	@AfterEach
	void noPricesForOtherTests() {
		this.jdbc.sql("delete from price").update();
	}

	@Test
	void budgetsWhenReadOnTwoReplicasThenTheSameSpendStateAndCrossings() {
		String session = TestEvents.sessionId();
		Instant recently = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
		ingest(session, BudgetFixtures.todayTurn("evt_x", recently, "1.25", "2.8"));
		try (ConfigurableApplicationContext replica = replica(
				"--spring.config.import=classpath:io/qoderevents/budgets/budgets.properties",
				"--qoder.ingest.enabled=false")) {
			Api other = new Api(Integer.parseInt(replica.getEnvironment().getProperty("local.server.port")));
			JsonNode here = Api.json(this.api.get("/api/v1/budgets"));
			JsonNode there = Api.json(other.get("/api/v1/budgets"));
			assertThat(there).isEqualTo(here);
			JsonNode daily = here.get("data").get(0);
			assertThat(daily.get("name").asString()).isEqualTo("all-daily");
			assertThat(daily.get("spend").decimalValue()).isEqualByComparingTo("0.162");
			assertThat(daily.get("state").asString()).isEqualTo("warning");
			assertThat(Instant.parse(daily.get("warned_at").asString()))
				.isEqualTo(recently.truncatedTo(ChronoUnit.HOURS)
					.plus(15 * (recently.atZone(ZoneOffset.UTC).getMinute() / 15 + 1), ChronoUnit.MINUTES));
		}
	}

}
