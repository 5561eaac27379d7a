package io.qoderevents.events;

import java.util.Objects;

/**
 * The CSV export of events: the envelope columns, quoted as RFC 4180 asks, lines ending
 * in CRLF.
 */
final class CsvLines {

	static final String HEADER = "id,session_id,sequence,type,turn_id,created_at,processed_at,ingested_at\r\n";

	private CsvLines() {
	}

	static String line(EventResponse event) {
		StringBuilder line = new StringBuilder(256);
		append(line, event.id()).append(',');
		append(line, event.sessionId()).append(',');
		line.append(event.sequence()).append(',');
		append(line, event.type()).append(',');
		append(line, event.turnId()).append(',');
		append(line, event.createdAt()).append(',');
		append(line, event.processedAt()).append(',');
		append(line, Objects.toString(event.ingestedAt(), null));
		return line.append("\r\n").toString();
	}

	/**
	 * Appends a field, quoted when it holds a comma, a quote, CR or LF; null is the empty
	 * field.
	 */
	static StringBuilder append(StringBuilder line, String value) {
		if (value == null) {
			return line;
		}
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
			return line.append(value);
		}
		return line.append('"').append(value.replace("\"", "\"\"")).append('"');
	}

}
