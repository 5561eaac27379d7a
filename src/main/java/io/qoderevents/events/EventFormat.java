package io.qoderevents.events;

/** The export formats of the events endpoints. */
enum EventFormat {

	/** One JSON event per line. */
	NDJSON,

	/** The envelope columns, with a header row (RFC 4180). */
	CSV

}
