package io.qoderevents.tracking;

import io.qoderevents.web.ProblemDetails;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A session the service does not know answers 404, on every endpoint that names one. Here
 * rather than in the web package's advice so that web does not depend on tracking;
 * ordered before that advice's catch-all.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class TrackingProblemAdvice {

	@ExceptionHandler({ UnknownSessionException.class, NoSuchSessionException.class })
	ResponseEntity<ProblemDetail> unknownSession(RuntimeException ex) {
		return ProblemDetails.respond(ProblemDetails.of(HttpStatus.NOT_FOUND, ex.getMessage()));
	}

}
