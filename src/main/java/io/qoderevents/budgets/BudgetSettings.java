package io.qoderevents.budgets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.qoderevents.config.BudgetSetting;
import io.qoderevents.config.MissingSettingException;

/**
 * The budgets of {@code qoder.budgets[*]}, checked: a scope the service understands and
 * no two with one name. A failed check stops the start-up, naming the setting (zones,
 * periods and amounts are checked where the settings are bound).
 */
final class BudgetSettings {

	private BudgetSettings() {
	}

	static List<Budget> budgets(List<BudgetSetting> settings) {
		List<Budget> budgets = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < settings.size(); i++) {
			BudgetSetting setting = settings.get(i);
			String prefix = "qoder.budgets[" + i + "]";
			String name = setting.name().strip();
			if (!names.add(name)) {
				throw new MissingSettingException(
						prefix + ".name (" + variable(prefix) + "_NAME) is " + name
								+ ", the name of an earlier budget.",
						"Give every budget in qoder.budgets its own name: it labels the budget's gauges.");
			}
			BudgetScope scope = BudgetScope.parse(setting.scope())
				.orElseThrow(() -> new MissingSettingException(
						prefix + ".scope (" + variable(prefix) + "_SCOPE) is '" + setting.scope()
								+ "', which names no sessions.",
						"Set " + prefix + ".scope to all, agent=<agent id> or metadata.<key>=<value>,"
								+ " for example metadata.team=payments."));
			budgets.add(new Budget(name, scope, setting.period(), setting.zone(), setting.limit(), setting.warnAt()));
		}
		return List.copyOf(budgets);
	}

	private static String variable(String prefix) {
		return prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace("[", "_").replace("]", "");
	}

}
