package io.qoderevents.budgets;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Budgets", description = "Spending limits per scope and calendar period, with their current spend")
@RestController
@RequestMapping(path = "/api/v1/budgets", produces = "application/json")
class BudgetController {

	private final Budgets budgets;

	BudgetController(Budgets budgets) {
		this.budgets = budgets;
	}

	@Operation(summary = "Every budget in its current period",
			description = "Spend priced from the stored usage at the time of the request, with its state and when it"
					+ " crossed the warn fraction and the limit")
	@GetMapping
	BudgetListResponse list() {
		return new BudgetListResponse(this.budgets.statuses());
	}

	/**
	 * Every budget of the settings.
	 *
	 * @param data the budgets, in settings order
	 */
	record BudgetListResponse(List<BudgetStatus> data) {
	}

}
