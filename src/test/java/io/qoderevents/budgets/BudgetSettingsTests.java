package io.qoderevents.budgets;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

import io.qoderevents.config.BudgetSetting;
import io.qoderevents.config.BudgetSetting.Period;
import io.qoderevents.config.MissingSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The budgets of the settings, checked. */
class BudgetSettingsTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			all                       | ALL      | null | null
			' all '                   | ALL      | null | null
			agent=agent_019e          | AGENT    | null | agent_019e
			metadata.team=payments    | METADATA | team | payments
			metadata.cost-centre=4711 | METADATA | cost-centre | 4711
			metadata.team=a=b         | METADATA | team | a=b
			""")
	void parseWhenScopeNamedThenKindKeyAndValue(String text, BudgetScope.Kind kind, String key, String value) {
		BudgetScope scope = BudgetScope.parse(text).orElseThrow();
		assertThat(scope).isEqualTo(new BudgetScope(kind, key, value));
		assertThat(BudgetScope.parse(scope.toString())).contains(scope);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "everything", "agent=", "agent", "metadata.team", "metadata.=payments", "metadata.team=", "team=a" })
	void parseWhenScopeNamesNoSessionsThenEmpty(String text) {
		assertThat(BudgetScope.parse(text)).isEmpty();
	}

	@Test
	void budgetsWhenScopeUnknownThenFailureNamesTheSetting() {
		assertThatExceptionOfType(MissingSettingException.class)
			.isThrownBy(() -> BudgetSettings.budgets(List.of(budget("a", "all"), budget("b", "team=payments"))))
			.withMessage("qoder.budgets[1].scope (QODER_BUDGETS_1_SCOPE) is 'team=payments', which names no sessions.")
			.satisfies((ex) -> assertThat(ex.action()).contains("metadata.<key>=<value>"));
	}

	@Test
	void budgetsWhenTwoShareANameThenFailureNamesTheSecond() {
		assertThatExceptionOfType(MissingSettingException.class)
			.isThrownBy(() -> BudgetSettings.budgets(List.of(budget("monthly", "all"), budget("monthly", "all"))))
			.withMessageStartingWith("qoder.budgets[1].name (QODER_BUDGETS_1_NAME) is monthly");
	}

	@Test
	void budgetsWhenValidThenWarnSpendIsExact() {
		Budget budget = BudgetSettings.budgets(List.of(budget("a", "agent=agent_1"))).get(0);
		assertThat(budget.scope()).isEqualTo(new BudgetScope(BudgetScope.Kind.AGENT, null, "agent_1"));
		assertThat(budget.warnSpend()).isEqualByComparingTo("400.00");
	}

	private static BudgetSetting budget(String name, String scope) {
		return new BudgetSetting(name, scope, Period.MONTH, ZoneId.of("Europe/Berlin"), new BigDecimal("500.00"),
				new BigDecimal("0.8"));
	}

}
