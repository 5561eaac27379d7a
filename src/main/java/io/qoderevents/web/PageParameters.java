package io.qoderevents.web;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code limit} and {@code cursor} of every list request, bound as one
 * {@code @ParameterObject @Valid} argument.
 *
 * @param limit the page size, 1 to 1000, 100 when absent
 * @param cursor the {@code next_cursor} of the previous page, or null for the first
 */
public record PageParameters(
		@Parameter(description = "Page size, 1 to 1000",
				schema = @Schema(type = "integer", minimum = "1", maximum = "1000",
						defaultValue = "100")) @Min(1) @Max(1000) Integer limit,
		@Parameter(description = "next_cursor of the previous page") String cursor) {

	/** The page size when none is asked for. */
	public static final int DEFAULT_LIMIT = 100;

	public PageParameters {
		limit = (limit != null) ? limit : DEFAULT_LIMIT;
	}

}
