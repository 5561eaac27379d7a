package io.qoderevents.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.qoderevents.ingest.Rows.ErrorRow;
import io.qoderevents.ingest.Rows.EventRow;
import io.qoderevents.ingest.Rows.QuarantineRow;
import io.qoderevents.ingest.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;
import tools.jackson.databind.JsonNode;

/**
 * What one page changes, decided before anything is written: new events get the next
 * sequences in list order, events already stored for the session are skipped, and what
 * cannot be stored as an event is quarantined.
 *
 * @param events new events, sequences assigned
 * @param usage usage rows of the new {@code session.status_idle} events
 * @param errors flattened new {@code session.error} events
 * @param quarantine elements kept aside, with the reason
 * @param lastSequence the session's last sequence after the page
 * @param newestEventTime the latest event time on the page, or null
 * @param terminal whether the page's last event finishes the session
 */
record PagePlan(List<EventRow> events, List<UsageRow> usage, List<ErrorRow> errors, List<QuarantineRow> quarantine,
		long lastSequence, OffsetDateTime newestEventTime, boolean terminal) {

	static final String IDLE = "session.status_idle";

	static final String NOT_AN_OBJECT = "not_an_object";

	static final String MISSING_ID = "missing_id";

	static final String MISSING_TYPE = "missing_type";

	static final String DUPLICATE_IN_PAGE = "duplicate_id_in_page";

	static final String ID_OF_ANOTHER_SESSION = "id_of_another_session";

	static final String NUL_CHARACTER = "nul_character";

	/** An escaped U+0000 that is not itself escaped: jsonb refuses it. */
	private static final Pattern NUL = Pattern.compile("(?<!\\\\)(\\\\\\\\)*\\\\u0000");

	/**
	 * Plans a page.
	 * @param sessionId the polled session
	 * @param lastSequence the session's last stored sequence
	 * @param page the page's elements in list order
	 * @param storedSessions the session each already-stored id of the page belongs to
	 * @param storedTurns the turns of the session that already have a usage row
	 * @param now the ingestion time, the event time of events without timestamps
	 */
	static PagePlan of(String sessionId, long lastSequence, List<UpstreamEvent> page,
			Map<String, String> storedSessions, Set<String> storedTurns, OffsetDateTime now) {
		Set<String> turns = new HashSet<>(storedTurns);
		List<EventRow> events = new ArrayList<>();
		List<UsageRow> usage = new ArrayList<>();
		List<ErrorRow> errors = new ArrayList<>();
		List<QuarantineRow> quarantine = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		long sequence = lastSequence;
		OffsetDateTime newest = null;
		String lastType = null;
		for (UpstreamEvent event : page) {
			String id = event.id();
			String reason = rejection(sessionId, event, id, seen, storedSessions);
			if (reason != null) {
				quarantine.add(new QuarantineRow(sessionId, id, reason, event.raw(), fingerprint(event.raw())));
				continue;
			}
			lastType = event.type();
			seen.add(id);
			if (storedSessions.containsKey(id)) {
				continue;
			}
			OffsetDateTime createdAt = EventFields.timestamp(event.createdAt());
			OffsetDateTime processedAt = EventFields.timestamp(event.processedAt());
			OffsetDateTime eventTime = (createdAt != null) ? createdAt : (processedAt != null) ? processedAt : now;
			String turnId = event.turnId();
			events.add(new EventRow(id, sessionId, ++sequence, event.type(), turnId, createdAt, processedAt, eventTime,
					event.raw()));
			newest = (newest == null || eventTime.isAfter(newest)) ? eventTime : newest;
			if (IDLE.equals(event.type())) {
				usage.add(usage(id, sessionId, turnId, sequence, eventTime, event.json(),
						turnId == null || turns.add(turnId)));
			}
			else if ("session.error".equals(event.type())) {
				errors.add(error(id, sessionId, turnId, eventTime, event.json()));
			}
		}
		boolean terminal = lastType != null && EventFields.TERMINAL_TYPES.contains(lastType);
		return new PagePlan(events, usage, errors, quarantine, sequence, newest, terminal);
	}

	private static String rejection(String sessionId, UpstreamEvent event, String id, Set<String> seen,
			Map<String, String> storedSessions) {
		if (!event.object()) {
			return NOT_AN_OBJECT;
		}
		if (id == null || id.isBlank()) {
			return MISSING_ID;
		}
		if (event.type() == null || event.type().isBlank()) {
			return MISSING_TYPE;
		}
		if (seen.contains(id)) {
			return DUPLICATE_IN_PAGE;
		}
		if (event.raw().contains("u0000") && NUL.matcher(event.raw()).find()) {
			return NUL_CHARACTER;
		}
		String owner = storedSessions.get(id);
		return (owner != null && !owner.equals(sessionId)) ? ID_OF_ANOTHER_SESSION : null;
	}

	private static UsageRow usage(String id, String sessionId, String turnId, long sequence, OffsetDateTime at,
			JsonNode json, boolean countsTurn) {
		JsonNode usage = json.get("usage");
		return new UsageRow(id, sessionId, turnId, sequence, at, EventFields.tokens(usage, "input_tokens"),
				EventFields.tokens(usage, "output_tokens"), EventFields.tokens(usage, "cache_read_input_tokens"),
				EventFields.tokens(usage, "cache_creation_input_tokens"),
				UpstreamEvent.text(json.path("stop_reason"), "type"), countsTurn);
	}

	/**
	 * The turn ids of the page's idle events: the turns whose earlier usage rows decide
	 * {@code counts_turn}.
	 */
	static Set<String> idleTurns(List<UpstreamEvent> page) {
		Set<String> turns = new HashSet<>();
		for (UpstreamEvent event : page) {
			String turnId = IDLE.equals(event.type()) ? event.turnId() : null;
			if (turnId != null) {
				turns.add(turnId);
			}
		}
		return turns;
	}

	private static ErrorRow error(String id, String sessionId, String turnId, OffsetDateTime at, JsonNode json) {
		JsonNode error = json.path("error");
		JsonNode details = json.path("details");
		String type = UpstreamEvent.text(error, "type");
		String message = UpstreamEvent.text(error, "message");
		if (message == null) {
			message = UpstreamEvent.text(details, "message");
		}
		return new ErrorRow(id, sessionId, turnId, at, (type != null) ? type : "unknown_error", message,
				EventFields.messagePattern(message), UpstreamEvent.text(details, "name"),
				UpstreamEvent.text(details, "message"), EventFields.retryStatus(json));
	}

	static String fingerprint(String raw) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
