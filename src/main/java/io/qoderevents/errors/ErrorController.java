package io.qoderevents.errors;

import java.util.List;

import io.qoderevents.web.ListResponse;
import io.qoderevents.web.PageParameters;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Error reports", description = "session.error events, grouped or flattened")
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
class ErrorController {

	private final ErrorService errors;

	ErrorController(ErrorService errors) {
		this.errors = errors;
	}

	@Operation(operationId = "listErrorGroups", summary = "session.error events grouped",
			description = "Grouped by error type, by error type and message pattern (ids and numbers replaced), or by "
					+ "session (one group per session, its error types in by_type); largest groups first, with the split "
					+ "by retry_status. Pages are keyed on (count, group): a group whose count changes between two pages may move across the cursor.")
	@GetMapping("/errors")
	ListResponse<ErrorGroup> groups(
			@Parameter(description = "Grouping",
					schema = @Schema(allowableValues = { "type", "message", "session" },
							defaultValue = "type")) @RequestParam(name = "group_by", required = false) String groupBy,
			@Parameter(description = "Errors on or after this RFC 3339 timestamp") @RequestParam(
					required = false) String since,
			@Parameter(description = "Errors before this RFC 3339 timestamp") @RequestParam(
					required = false) String until,
			@Parameter(description = "Only these sessions (repeatable)") @RequestParam(name = "session_id",
					required = false) List<String> sessionIds,
			@ParameterObject @Valid PageParameters page) {
		return this.errors.groups(ErrorFilter.of(groupBy, since, until, sessionIds), page.limit(), page.cursor());
	}

	@Operation(operationId = "listSessionErrors", summary = "One session's session.error events, flattened",
			description = "In the session's upstream order; 404 when the session is neither tracked nor has events.")
	@GetMapping("/sessions/{session_id}/errors")
	ListResponse<SessionError> sessionErrors(
			@Parameter(description = "The session id") @PathVariable("session_id") String sessionId,
			@Parameter(description = "Errors on or after this RFC 3339 timestamp") @RequestParam(
					required = false) String since,
			@Parameter(description = "Errors before this RFC 3339 timestamp") @RequestParam(
					required = false) String until,
			@ParameterObject @Valid PageParameters page) {
		SessionIdParameter.require(sessionId);
		return this.errors.sessionErrors(sessionId, TimeRange.of(since, until), page.limit(), page.cursor());
	}

}
