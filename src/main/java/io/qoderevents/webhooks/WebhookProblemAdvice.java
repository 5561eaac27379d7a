package io.qoderevents.webhooks;

import io.qoderevents.web.ProblemDetails;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A refused webhook answers 401, 413 or 400; ordered before the web advice's catch-all.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebhookProblemAdvice {

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejected(WebhookRejectedException ex) {
		HttpStatus status = switch (ex.reason()) {
			case UNSIGNED -> HttpStatus.UNAUTHORIZED;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case MALFORMED -> HttpStatus.BAD_REQUEST;
		};
		return ProblemDetails.respond(ProblemDetails.of(status, ex.getMessage()));
	}

}
