package io.qoderevents.ingest.turns;

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

import io.qoderevents.ingest.turns.Rows.ErrorRow;
import io.qoderevents.ingest.turns.Rows.EventRow;
import io.qoderevents.ingest.turns.Rows.QuarantineRow;
import io.qoderevents.ingest.turns.Rows.Reassignment;
import io.qoderevents.ingest.turns.Rows.TurnRow;
import io.qoderevents.ingest.turns.Rows.TurnState;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;
import tools.jackson.databind.JsonNode;

/**
 * What one page changes, decided before anything is written: new events get the next
 * sequences in list order, their turns and event times, events already stored for the
 * session are skipped, and what cannot be stored as an event is quarantined.
 *
 * @param events new events, sequences and turns assigned
 * @param usage usage rows of the new idle, model span and turn-ending events
 * @param errors flattened new {@code session.error} events
 * @param quarantine elements kept aside, with the reason
 * @param turns the turns the page opened or changed
 * @param reassignments earlier events that join a turn opened on this page
 * @param superseded turns whose stored span rows lose their tokens to idle usage
 * @param endedStored stored turns an event of another turn ended, whose usage rows are
 * all stored: the last of them now counts the turn
 * @param state where the session's turns stand after the page
 * @param lastSequence the session's last sequence after the page
 * @param newestEventTime the latest event time on the page, or null
 * @param terminal whether the page's last event finishes the session
 * @param running whether the session runs after the page, as its last new primary status
 * event says: true after a {@code session.status_running}, false after an idle or a
 * terminal event, null when the page has none
 */
public record PagePlan(List<EventRow> events, List<UsageRow> usage, List<ErrorRow> errors,
		List<QuarantineRow> quarantine, List<TurnRow> turns, List<Reassignment> reassignments, List<String> superseded,
		List<String> endedStored, TurnState state, long lastSequence, OffsetDateTime newestEventTime, boolean terminal,
		Boolean running) {

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
	 * @param history where the session's turns stood before the page
	 * @param now the ingestion time, the event time of events before the session's first
	 * timestamp
	 */
	public static PagePlan of(String sessionId, long lastSequence, List<UpstreamEvent> page,
			Map<String, String> storedSessions, History history, OffsetDateTime now) {
		List<EventRow> events = new ArrayList<>();
		List<UsageRow> usage = new ArrayList<>();
		List<ErrorRow> errors = new ArrayList<>();
		List<QuarantineRow> quarantine = new ArrayList<>();
		Turns turns = new Turns(sessionId, history.state(), history.turns(), events, usage);
		Set<String> seen = new HashSet<>();
		long sequence = lastSequence;
		OffsetDateTime newest = null;
		String lastType = null;
		Boolean running = null;
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
			sequence++;
			OffsetDateTime eventTime = turns.eventTime(EventFields.timestamp(event.createdAt()),
					EventFields.timestamp(event.processedAt()), now);
			String turnId = turns.assign(event, sequence, eventTime);
			events.add(new EventRow(id, sessionId, sequence, event.type(), turnId, event.sessionThreadId(), eventTime,
					event.bytes()));
			newest = (newest == null || eventTime.isAfter(newest)) ? eventTime : newest;
			turns.count(event, turnId, sequence, eventTime);
			running = runningAfter(event, running);
			if (Events.isError(event.type())) {
				errors.add(error(id, sessionId, turnId, eventTime, event.json()));
			}
		}
		boolean terminal = Events.isTerminal(lastType);
		return new PagePlan(events, usage, errors, quarantine, turns.touched(), turns.reassignments(),
				turns.superseded(), turns.endedStored(), turns.state(), sequence, newest, terminal, running);
	}

	/** Whether the session runs after {@code event}, given whether it ran before. */
	private static Boolean runningAfter(UpstreamEvent event, Boolean before) {
		if (event.sessionThreadId() != null) {
			return before;
		}
		if (Events.isRunning(event.type())) {
			return Boolean.TRUE;
		}
		return Events.stopsRunning(event.type()) ? Boolean.FALSE : before;
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
		if (containsNulEscape(event.bytes()) && NUL.matcher(event.raw()).find()) {
			return NUL_CHARACTER;
		}
		String owner = storedSessions.get(id);
		return (owner != null && !owner.equals(sessionId)) ? ID_OF_ANOTHER_SESSION : null;
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

	/** Whether the text has {@code u0000} in it: the cheap test before {@link #NUL}. */
	private static boolean containsNulEscape(byte[] text) {
		for (int i = 0; i + 4 < text.length; i++) {
			if (text[i] == 'u' && text[i + 1] == '0' && text[i + 2] == '0' && text[i + 3] == '0'
					&& text[i + 4] == '0') {
				return true;
			}
		}
		return false;
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

	/**
	 * What a page's plan needs of the session's past.
	 *
	 * @param state where its turns stood after its last stored event
	 * @param turns the stored turns the page refers to, by id
	 */
	public record History(TurnState state, Map<String, TurnRow> turns) {

		static final History EMPTY = new History(TurnState.EMPTY, Map.of());

	}

}
