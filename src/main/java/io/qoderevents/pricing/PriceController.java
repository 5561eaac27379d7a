package io.qoderevents.pricing;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Prices", description = "Effective-dated prices of credits and tokens, that usage is priced at when read")
@RestController
@RequestMapping(path = "/api/v1/prices", produces = "application/json")
class PriceController {

	private final Prices prices;

	PriceController(Prices prices) {
		this.prices = prices;
	}

	@Operation(summary = "Every price", description = "By kind, model and from, with the deployment's currency")
	@GetMapping
	PriceListResponse list() {
		return new PriceListResponse(this.prices.currency(), this.prices.all(), null);
	}

	@Operation(summary = "Add a price",
			description = "Effective from a time on (past times allowed: later reports are repriced at once)")
	@ApiResponse(responseCode = "201", description = "The price added", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "A price of the same kind, model and from exists",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(ref = "#/components/schemas/Problem")))
	@PostMapping(consumes = "application/json")
	@ResponseStatus(HttpStatus.CREATED)
	Price add(@RequestBody NewPrice request) {
		return this.prices.add(request.toPrice());
	}

	/**
	 * Every price.
	 *
	 * @param currency the ISO 4217 currency of every amount
	 * @param data the prices
	 * @param nextCursor always null: the list is never cut
	 */
	record PriceListResponse(String currency, List<Price> data, @Schema(nullable = true) String nextCursor) {
	}

}
