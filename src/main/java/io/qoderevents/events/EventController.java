package io.qoderevents.events;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.qoderevents.web.ListResponse;
import io.qoderevents.web.PageParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Events", description = "Stored upstream events: filtered lists, and NDJSON or CSV exports")
@RestController
@RequestMapping("/api/v1")
class EventController {

	private static final Logger logger = LoggerFactory.getLogger(EventController.class);

	static final String NDJSON = "application/x-ndjson";

	static final String CSV = "text/csv";

	private static final String EVENT_TIME = "Event time is created_at, else processed_at, else the time of the event before "
			+ "it in the session, else the ingestion time.";

	private final EventService events;

	EventController(EventService events) {
		this.events = events;
	}

	@Operation(operationId = "listEvents", summary = "List events across sessions",
			description = "Ordered by event time, then session id, then sequence. " + EVENT_TIME
					+ " Send Accept: application/x-ndjson or text/csv to export every matching event instead.")
	@ApiResponse(responseCode = "200", description = "One page of events, or every matching event for an export",
			useReturnTypeSchema = true,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
					@Content(mediaType = NDJSON, schema = @Schema(implementation = EventResponse.class)),
					@Content(mediaType = CSV, schema = @Schema(type = "string")) })
	@GetMapping(path = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
	ListResponse<EventResponse> list(@ParameterObject EventParameters parameters,
			@ParameterObject @Valid PageParameters page) {
		return this.events.list(EventFilter.of(null, parameters), page.limit(), page.cursor());
	}

	@Operation(operationId = "listSessionEvents", summary = "List one session's events",
			description = "Ordered by sequence, the upstream's list order; 404 when the session is neither tracked nor"
					+ " has events. " + EVENT_TIME
					+ " Send Accept: application/x-ndjson or text/csv to export every matching event instead.")
	@ApiResponse(responseCode = "200", description = "One page of events, or every matching event for an export",
			useReturnTypeSchema = true,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
					@Content(mediaType = NDJSON, schema = @Schema(implementation = EventResponse.class)),
					@Content(mediaType = CSV, schema = @Schema(type = "string")) })
	@GetMapping(path = "/sessions/{session_id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
	ListResponse<EventResponse> listSession(
			@Parameter(description = "The session id") @PathVariable("session_id") String sessionId,
			@ParameterObject EventParameters parameters, @ParameterObject @Valid PageParameters page) {
		return this.events.list(EventFilter.of(sessionId, parameters), page.limit(), page.cursor());
	}

	@Operation(hidden = true)
	@GetMapping(path = "/events", produces = NDJSON)
	void exportNdjson(EventParameters parameters, HttpServletResponse response) throws IOException {
		export(EventFilter.of(null, parameters), EventFormat.NDJSON, response);
	}

	@Operation(hidden = true)
	@GetMapping(path = "/events", produces = CSV)
	void exportCsv(EventParameters parameters, HttpServletResponse response) throws IOException {
		export(EventFilter.of(null, parameters), EventFormat.CSV, response);
	}

	@Operation(hidden = true)
	@GetMapping(path = "/sessions/{session_id}/events", produces = NDJSON)
	void exportSessionNdjson(@PathVariable("session_id") String sessionId, EventParameters parameters,
			HttpServletResponse response) throws IOException {
		export(EventFilter.of(sessionId, parameters), EventFormat.NDJSON, response);
	}

	@Operation(hidden = true)
	@GetMapping(path = "/sessions/{session_id}/events", produces = CSV)
	void exportSessionCsv(@PathVariable("session_id") String sessionId, EventParameters parameters,
			HttpServletResponse response) throws IOException {
		export(EventFilter.of(sessionId, parameters), EventFormat.CSV, response);
	}

	private void export(EventFilter filter, EventFormat format, HttpServletResponse response) throws IOException {
		try {
			this.events.export(filter, format, () -> {
				response.setContentType(((format == EventFormat.CSV) ? CSV : NDJSON) + ";charset=UTF-8");
				if (format == EventFormat.CSV) {
					response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"events.csv\"");
				}
				return response.getOutputStream();
			});
		}
		catch (IOException | UncheckedIOException ex) {
			if (!response.isCommitted()) {
				throw ex;
			}
			logger.debug("Event export ended early, the client went away", ex);
		}
	}

}
