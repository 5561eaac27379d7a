package io.qoderevents.budgets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.MutableClock;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets over usage ingested through the real poller, on a clock the tests move. The
 * clock only moves forward (set back, it would leave the request gate's next slot in its
 * future), so the tests run in order, each on a later day.
 */
@TestPropertySource(locations = "classpath:io/qoderevents/budgets/budgets.properties")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetApiTests extends IntegrationTest {

	/** Reads numbers as they were written: 0.2740 stays 0.2740. */
	private static final JsonMapper EXACT = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	@TestBean(methodName = "standingClock")
	private Clock clock;

	@Autowired
	private BudgetMetrics metrics;

	@Autowired
	private MeterRegistry registry;

	@Value("${local.management.port}")
	private int managementPort;

	static Clock standingClock() {
		return new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
	}

	@BeforeEach
	void testPrices() {
		BudgetFixtures.prices(this.jdbc);
	}

	@AfterEach
	void noPricesForOtherTests() {
		this.jdbc.sql("delete from price").update();
	}

	@Test
	@Order(1)
	void budgetsWhenOnePageCrossesWarnAndLimitThenExceededWithTheEndOfEachCrossingBucket() {
		moveTo("2026-11-30T09:00:00Z");
		List<String> page = new ArrayList<>(
				BudgetFixtures.todayTurn("evt_a", Instant.parse("2026-11-30T09:00:00.123Z"), "1.25", "2.8"));
		page.addAll(BudgetFixtures.todayTurn("evt_b", Instant.parse("2026-11-30T09:20:00.123Z"), "2.8"));
		String session = TestEvents.sessionId();
		ingest(session, page);
		assertThat(count("select count(*) from event where session_id = ?", session)).isEqualTo(page.size());
		moveTo("2026-11-30T12:00:00Z");
		JsonNode daily = budget("all-daily");
		assertThat(daily.propertyNames()).containsExactly("name", "scope", "period", "period_start", "period_end",
				"limit", "spend", "fraction", "state", "warned_at", "exceeded_at", "currency");
		assertThat(daily.get("scope").asString()).isEqualTo("all");
		assertThat(daily.get("period").asString()).isEqualTo("day");
		assertThat(daily.get("period_start").asString()).isEqualTo("2026-11-30T00:00:00Z");
		assertThat(daily.get("period_end").asString()).isEqualTo("2026-12-01T00:00:00Z");
		assertThat(daily.get("limit").decimalValue()).isEqualByComparingTo("0.25");
		// (1.25 + 2.8) × 0.04 in the 09:00 bucket, 2.8 × 0.04 in the 09:15 bucket
		assertThat(daily.get("spend").decimalValue()).isEqualByComparingTo("0.274");
		assertThat(daily.get("fraction").decimalValue()).isEqualByComparingTo("1.096");
		assertThat(daily.get("state").asString()).isEqualTo("exceeded");
		// 0.162 reaches 0.6 × 0.25 in the first bucket, 0.274 reaches 0.25 in the second
		assertThat(daily.get("warned_at").asString()).isEqualTo("2026-11-30T09:15:00Z");
		assertThat(daily.get("exceeded_at").asString()).isEqualTo("2026-11-30T09:30:00Z");
		assertThat(daily.get("currency").asString()).isEqualTo("EUR");
		JsonNode monthly = budget("berlin-monthly");
		assertThat(monthly.get("spend").decimalValue()).isEqualByComparingTo("0.274");
		assertThat(monthly.get("state").asString()).isEqualTo("ok");
		assertThat(monthly.get("warned_at").isNull()).isTrue();
		assertThat(monthly.get("exceeded_at").isNull()).isTrue();
		// no snapshot yet: no agent, no metadata, so no scoped budget counts the session
		assertThat(budget("payments").get("spend").decimalValue()).isZero();
		assertThat(budget("agent-b").get("spend").decimalValue()).isZero();
	}

	@Test
	@Order(2)
	void budgetsWhenBothShapesScopedByMetadataAndAgentThenEachCountsItsSessions() {
		moveTo("2026-12-07T09:00:00Z");
		String payments = TestEvents.sessionId();
		ingest(payments, BudgetFixtures.todayTurn("evt_p", Instant.parse("2026-12-07T09:00:00.123Z"), "1.25", "2.8"));
		BudgetFixtures.attribute(this.jdbc, payments, "lite", "agent_a", "payments");
		String search = TestEvents.sessionId();
		ingest(search,
				BudgetFixtures.tokensTurn(search, Instant.parse("2026-12-07T10:00:10Z"), 1000, 2000, 10_000, 4000));
		BudgetFixtures.attribute(this.jdbc, search, "ultimate", "agent_b", "search");
		moveTo("2026-12-07T12:00:00Z");
		// 4.05 credits at 0.04, and (1000 × 3 + 2000 × 15 + 10000 × 0.30 + 4000 × 3.75) /
		// 1e6
		JsonNode daily = budget("all-daily");
		assertThat(daily.get("spend").decimalValue()).isEqualByComparingTo("0.213");
		assertThat(daily.get("state").asString()).isEqualTo("warning");
		assertThat(daily.get("warned_at").asString()).isEqualTo("2026-12-07T09:15:00Z");
		assertThat(daily.get("exceeded_at").isNull()).isTrue();
		JsonNode team = budget("payments");
		assertThat(team.get("scope").asString()).isEqualTo("metadata.team=payments");
		assertThat(team.get("period").asString()).isEqualTo("week");
		assertThat(team.get("period_start").asString()).isEqualTo("2026-12-07T00:00:00-03:30");
		assertThat(team.get("period_end").asString()).isEqualTo("2026-12-14T00:00:00-03:30");
		assertThat(team.get("spend").decimalValue()).isEqualByComparingTo("0.162");
		assertThat(team.get("state").asString()).isEqualTo("ok");
		JsonNode agent = budget("agent-b");
		assertThat(agent.get("scope").asString()).isEqualTo("agent=agent_b");
		assertThat(agent.get("spend").decimalValue()).isEqualByComparingTo("0.051");
		assertThat(agent.get("fraction").decimalValue()).isEqualByComparingTo("1.02");
		assertThat(agent.get("state").asString()).isEqualTo("exceeded");
		assertThat(agent.get("warned_at").asString()).isEqualTo("2026-12-07T10:15:00Z");
		assertThat(agent.get("exceeded_at").asString()).isEqualTo("2026-12-07T10:15:00Z");

		this.metrics.refreshGauges();
		assertThat(gauge("qoder.budget.spend", "agent-b")).isEqualTo(0.051);
		assertThat(gauge("qoder.budget.limit", "agent-b")).isEqualTo(0.05);
		assertThat(gauge("qoder.budget.warn.at", "agent-b")).isEqualTo(0.5);
		assertThat(gauge("qoder.budget.spend", "payments")).isEqualTo(0.162);
		assertThat(gauge("qoder.budget.spend", "all-daily")).isEqualTo(0.213);
		assertThat(gauge("qoder.budget.limit", "berlin-monthly")).isEqualTo(100.0);
		String scrape = new Api(this.managementPort).getRaw("/actuator/prometheus").body();
		assertThat(scrape).contains("qoder_budget_spend{application=\"qoder-events\",budget=\"agent-b\"} 0.051\n")
			.contains("qoder_budget_limit{application=\"qoder-events\",budget=\"agent-b\"} 0.05\n");
	}

	@Test
	@Order(3)
	void budgetsWhenBerlinMonthTurnsThenSpendStartsAgainAtLocalMidnight() {
		moveTo("2026-12-31T22:00:00Z");
		String session = TestEvents.sessionId();
		List<String> events = new ArrayList<>(
				BudgetFixtures.todayTurn("evt_old", Instant.parse("2026-12-31T22:50:00Z"), "1.25"));
		// midnight in Berlin is 23:00 UTC
		events.addAll(BudgetFixtures.todayTurn("evt_new", Instant.parse("2026-12-31T23:05:00Z"), "2.8"));
		ingest(session, events);
		moveTo("2026-12-31T22:59:59Z");
		JsonNode december = budget("berlin-monthly");
		assertThat(december.get("period_start").asString()).isEqualTo("2026-12-01T00:00:00+01:00");
		assertThat(december.get("period_end").asString()).isEqualTo("2027-01-01T00:00:00+01:00");
		assertThat(december.get("spend").decimalValue()).isEqualByComparingTo("0.05");
		moveTo("2026-12-31T23:00:00Z");
		JsonNode january = budget("berlin-monthly");
		assertThat(january.get("period_start").asString()).isEqualTo("2027-01-01T00:00:00+01:00");
		assertThat(january.get("period_end").asString()).isEqualTo("2027-02-01T00:00:00+01:00");
		assertThat(january.get("spend").decimalValue()).isEqualByComparingTo("0.112");
		// the UTC day holds both turns
		assertThat(budget("all-daily").get("spend").decimalValue()).isEqualByComparingTo("0.162");
	}

	private JsonNode budget(String name) {
		JsonNode list = EXACT.readTree(this.api.get("/api/v1/budgets").body());
		assertThat(list.propertyNames()).containsExactly("data");
		assertThat(list.get("data")).extracting((budget) -> budget.get("name").asString())
			.containsExactly("all-daily", "berlin-monthly", "payments", "agent-b");
		for (JsonNode budget : list.get("data")) {
			if (budget.get("name").asString().equals(name)) {
				return budget;
			}
		}
		throw new AssertionError(name);
	}

	private double gauge(String name, String budget) {
		return this.registry.get(name).tag("budget", budget).gauge().value();
	}

	private void moveTo(String instant) {
		Duration ahead = Duration.between(this.clock.instant(), Instant.parse(instant));
		assertThat(ahead.isNegative()).as("the clock only moves forward").isFalse();
		((MutableClock) this.clock).advance(ahead);
	}

}
