package io.qoderevents.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

import io.qoderevents.events.JdbcEventRepository.Position;
import io.qoderevents.events.JdbcEventRepository.Row;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.ListResponse;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Lists and exports stored events. */
@Service
class EventService {

	private static final String EVENTS = "events";

	private static final String SESSION_EVENTS = "session-events";

	private static final int BUFFER_SIZE = 64 * 1024;

	private final JdbcEventRepository repository;

	private final TrackingService tracking;

	private final ObjectWriter json;

	EventService(JdbcEventRepository repository, TrackingService tracking, JsonMapper mapper) {
		this.repository = repository;
		this.tracking = tracking;
		this.json = mapper.writerFor(EventResponse.class);
	}

	/** One page of the selected events, in list order. */
	@Transactional(readOnly = true)
	ListResponse<EventResponse> list(EventFilter filter, int limit, String cursor) {
		Position after = decode(filter, cursor);
		requireKnown(filter);
		List<Row> rows = this.repository.find(filter, after, Keyset.fetchSize(limit));
		return Keyset.cut(rows, limit, (row) -> encode(filter, row.position())).map(Row::event);
	}

	/**
	 * Writes every selected event in list order, reading and writing one row at a time.
	 * The target is opened only once the request is known to be valid, so that a refusal
	 * can still be answered with a problem.
	 */
	@Transactional(readOnly = true)
	void export(EventFilter filter, EventFormat format, Target target) throws IOException {
		requireKnown(filter);
		Writer writer = new BufferedWriter(new OutputStreamWriter(target.open(), StandardCharsets.UTF_8), BUFFER_SIZE);
		if (format == EventFormat.CSV) {
			writer.write(CsvLines.HEADER);
			this.repository.stream(filter, false, (event) -> write(writer, CsvLines.line(event)));
		}
		else {
			this.repository.stream(filter, true, (event) -> write(writer, this.json.writeValueAsString(event) + "\n"));
		}
		writer.flush();
	}

	private void requireKnown(EventFilter filter) {
		if (filter.session() != null) {
			this.tracking.requireKnown(filter.session());
		}
	}

	private static String encode(EventFilter filter, Position position) {
		if (filter.session() != null) {
			return Cursors.encode(SESSION_EVENTS, filter.session(), Long.toString(position.sequence()));
		}
		return Cursors.encode(EVENTS, position.eventTime().toString(), position.sessionId(),
				Long.toString(position.sequence()));
	}

	private static Position decode(EventFilter filter, String cursor) {
		try {
			if (filter.session() != null) {
				List<String> key = Cursors.decode(SESSION_EVENTS, cursor, 2);
				if (key != null && !key.get(0).equals(filter.session())) {
					throw Cursors.invalid();
				}
				return (key != null) ? new Position(null, key.get(0), Long.parseLong(key.get(1))) : null;
			}
			List<String> key = Cursors.decode(EVENTS, cursor, 3);
			return (key != null) ? new Position(Instant.parse(key.get(0)), key.get(1), Long.parseLong(key.get(2)))
					: null;
		}
		catch (NumberFormatException | DateTimeException ex) {
			throw Cursors.invalid();
		}
	}

	private static void write(Writer writer, String text) {
		try {
			writer.write(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Where an export goes, opened once the export is known to be valid. */
	@FunctionalInterface
	interface Target {

		OutputStream open() throws IOException;

	}

}
