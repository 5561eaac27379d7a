package io.qoderevents.tracking;

import java.net.URI;

import io.qoderevents.web.ListResponse;
import io.qoderevents.web.PageParameters;
import io.qoderevents.web.SessionIdParameter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Tracked sessions", description = "Which Qoder sessions are ingested, and how far")
@RestController
@RequestMapping(path = "/api/v1/tracked-sessions", produces = "application/json")
class TrackedSessionController {

	private final TrackingService tracking;

	TrackedSessionController(TrackingService tracking) {
		this.tracking = tracking;
	}

	@InitBinder
	void sessionStates(WebDataBinder binder) {
		binder.registerCustomEditor(SessionState.class, new SessionStateParameter());
	}

	@Operation(summary = "Start tracking a session",
			description = "201 when tracking starts, 200 when it was already tracked")
	@ApiResponse(responseCode = "201", description = "Tracking started; Location names the tracked session",
			useReturnTypeSchema = true,
			headers = @Header(name = "Location", description = "/api/v1/tracked-sessions/{session_id}"))
	@ApiResponse(responseCode = "200", description = "Already tracked; the same body", useReturnTypeSchema = true)
	@PostMapping(consumes = "application/json")
	ResponseEntity<TrackedSessionResponse> track(@Valid @RequestBody TrackRequest request) {
		TrackingService.Tracked tracked = this.tracking.track(SessionIdParameter.require(request.sessionId()));
		if (!tracked.created()) {
			return ResponseEntity.ok(tracked.session());
		}
		return ResponseEntity.created(URI.create("/api/v1/tracked-sessions/" + request.sessionId()))
			.body(tracked.session());
	}

	@Operation(summary = "List tracked sessions", description = "Ordered by session id")
	@GetMapping
	ListResponse<TrackedSessionResponse> list(@RequestParam(required = false) SessionState state,
			@ParameterObject @Valid PageParameters page) {
		return this.tracking.list(state, page.limit(), page.cursor());
	}

	@Operation(summary = "One tracked session")
	@GetMapping("/{session_id}")
	TrackedSessionResponse get(@PathVariable("session_id") String sessionId) {
		return this.tracking.get(SessionIdParameter.require(sessionId));
	}

	@Operation(summary = "Stop tracking a session", description = "The stored events are kept")
	@DeleteMapping("/{session_id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void untrack(@PathVariable("session_id") String sessionId) {
		this.tracking.untrack(SessionIdParameter.require(sessionId));
	}

	@Operation(summary = "Poll a session now")
	@PostMapping("/{session_id}/sync")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void sync(@PathVariable("session_id") String sessionId) {
		this.tracking.requestSync(SessionIdParameter.require(sessionId));
	}

	/**
	 * A session to track.
	 *
	 * @param sessionId the Qoder session id, {@code sess_} followed by 32 hex digits
	 */
	record TrackRequest(@NotNull String sessionId) {
	}

}
