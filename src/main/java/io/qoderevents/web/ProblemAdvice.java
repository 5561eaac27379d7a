package io.qoderevents.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the HTTP API into an RFC 9457 {@code application/problem+json}
 * body. Ordered last, so that a feature's own advice for its exceptions comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemAdvice.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException ex) {
		return ProblemDetails.respond(ProblemDetails.invalid(ex.field(), ex.getMessage(), ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		if (ex.getRequiredType() != null && ex.getRequiredType().isEnum()) {
			String accepted = Arrays.stream(ex.getRequiredType().getEnumConstants())
				.map(String::valueOf)
				.collect(Collectors.joining(", "));
			return invalidParameter(
					new InvalidParameterException(ex.getName(), ex.getName() + " must be one of " + accepted));
		}
		String message = "must be a valid "
				+ ((ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName().toLowerCase() : "value");
		return ProblemDetails.respond(ProblemDetails.invalid(ex.getName(), message, ex.getName() + " " + message));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException ex) {
		List<Map<String, String>> errors = ex.getConstraintViolations()
			.stream()
			.map((violation) -> error(snakeCase(leaf(violation.getPropertyPath().toString())), violation.getMessage()))
			.toList();
		return ProblemDetails.respond(ProblemDetails.invalid("Invalid parameters", errors));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return ProblemDetails
			.respond(ProblemDetails.of(HttpStatus.INTERNAL_SERVER_ERROR, "The server could not complete the request"));
	}

	/**
	 * A database that dropped the connection or refuses connections is a 503 with
	 * {@code Retry-After}, not an error of the service; any other failure of the database
	 * is. Once an export's first bytes are out, no status can be sent: the failure goes
	 * on to the container, which aborts the response.
	 */
	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<ProblemDetail> database(Exception ex, HttpServletResponse response) throws Exception {
		if (!DatabaseFailures.unavailable(ex)) {
			return unexpected(ex);
		}
		if (response.isCommitted()) {
			logger.warn("The database failed after the response was committed; aborting it: {}",
					DatabaseFailures.summary(ex));
			throw ex;
		}
		logger.warn("The database is unavailable; answered 503: {}", DatabaseFailures.summary(ex));
		// an export that failed before its first bytes went out has set its own type
		response.setContentType(null);
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, null);
		ProblemDetail problem = ProblemDetails.of(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is unavailable; retry in a few seconds");
		problem.setType(problem.getType().resolve("database-unavailable"));
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseFailures.RETRY_AFTER_SECONDS))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> error(snakeCase(error.getField()), message(error)))
			.toList();
		boolean body = ex.getParameter().hasParameterAnnotation(RequestBody.class);
		return ProblemDetails
			.respond(ProblemDetails.invalid(body ? "Invalid request body" : "Invalid parameters", errors));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getParameterValidationResults().stream().flatMap((result) -> {
			if (result instanceof ParameterErrors parameterErrors) {
				return parameterErrors.getFieldErrors()
					.stream()
					.map((error) -> error(snakeCase(error.getField()), message(error)));
			}
			String name = name(result.getMethodParameter());
			return result.getResolvableErrors().stream().map((error) -> error(name, message(error)));
		}).toList();
		return ProblemDetails.respond(ProblemDetails.invalid("Invalid parameters", errors));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ProblemDetails.respond(ProblemDetails.invalid(ex.getParameterName(), "is required",
				"Required parameter " + ex.getParameterName() + " is missing"));
	}

	/** Every other exception the framework maps to a status, as a typed problem. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		ProblemDetail problem = (body instanceof ProblemDetail detail) ? detail
				: ProblemDetails.of(statusCode, statusCode.toString());
		ResponseEntity<Object> response = ProblemDetails.respond(problem);
		HttpHeaders responseHeaders = new HttpHeaders();
		responseHeaders.addAll(headers);
		responseHeaders.addAll(response.getHeaders());
		return new ResponseEntity<>(response.getBody(), responseHeaders, statusCode);
	}

	private static Map<String, String> error(String field, String message) {
		return Map.of("field", field, "message", message);
	}

	private static String message(MessageSourceResolvable error) {
		if (error instanceof FieldError field && field.isBindingFailure()) {
			return "has an invalid value";
		}
		return String.valueOf(error.getDefaultMessage());
	}

	/**
	 * The name a caller sent: the request parameter or path variable, else the Java name.
	 */
	private static String name(MethodParameter parameter) {
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
		if (path != null && !path.name().isEmpty()) {
			return path.name();
		}
		return snakeCase(String.valueOf(parameter.getParameterName()));
	}

	/**
	 * A Java name as the API spells it ({@code sessionId} is {@code session_id}), as
	 * bodies and parameters name their fields.
	 */
	static String snakeCase(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

	private static String leaf(String path) {
		int dot = path.lastIndexOf('.');
		return (dot >= 0) ? path.substring(dot + 1) : path;
	}

}
