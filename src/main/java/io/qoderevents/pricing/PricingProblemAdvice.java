package io.qoderevents.pricing;

import io.qoderevents.web.ProblemDetails;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A duplicate price answers 409; ordered before the web advice's catch-all. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PricingProblemAdvice {

	@ExceptionHandler
	ResponseEntity<ProblemDetail> duplicate(DuplicatePriceException ex) {
		return ProblemDetails.respond(ProblemDetails.of(HttpStatus.CONFLICT, ex.getMessage()));
	}

}
