package io.qoderevents.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the upstream's page envelope. Each event keeps the exact bytes the upstream sent,
 * cut from the body by the parser's offsets, so the stored raw JSON is the upstream's
 * text and not a re-serialization.
 */
class PageParser {

	/**
	 * Events nest deeper than Jackson's default allows; PostgreSQL's jsonb takes far
	 * more.
	 */
	private static final int MAX_NESTING_DEPTH = 5_000;

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
			.build())
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	/** Reads one field's value of an object, the rest of the object left to follow. */
	private static final ObjectReader FIELD_READER = MAPPER.reader()
		.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	/**
	 * The envelope fields read from every event while the page is parsed, in
	 * {@link UpstreamEvent} order.
	 */
	private static final List<String> ENVELOPE = List.of("id", "type", "turn_id", "created_at", "processed_at",
			"session_thread_id");

	/**
	 * Parses an events page.
	 * @throws MalformedPageException when the body is not a page
	 */
	EventPage parseEvents(byte[] body, String requestId) {
		List<UpstreamEvent> events = null;
		String lastId = null;
		boolean hasMore = false;
		try (JsonParser parser = MAPPER.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new MalformedPageException("the body is not a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("data".equals(name)) {
					if (value != JsonToken.START_ARRAY) {
						throw new MalformedPageException("'data' is not an array");
					}
					events = readEvents(parser, body);
				}
				else if ("last_id".equals(name)) {
					lastId = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
					parser.skipChildren();
				}
				else if ("has_more".equals(name)) {
					if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE
							&& value != JsonToken.VALUE_NULL) {
						throw new MalformedPageException("'has_more' is not a boolean");
					}
					hasMore = value == JsonToken.VALUE_TRUE;
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.nextToken() != null) {
				throw new MalformedPageException("content after the page object");
			}
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("the body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (events == null) {
			throw new MalformedPageException("the page has no 'data'");
		}
		return new EventPage(List.copyOf(events), lastId, hasMore, requestId);
	}

	/** Parses a sessions page, keeping only the sessions with a well-formed id. */
	SessionPage parseSessions(byte[] body) {
		JsonNode page;
		try {
			page = MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("the body is not valid JSON: " + ex.getOriginalMessage());
		}
		JsonNode data = page.path("data");
		if (!data.isArray()) {
			throw new MalformedPageException("'data' is not an array");
		}
		List<SessionSnapshot> sessions = new ArrayList<>();
		for (JsonNode session : data) {
			if (session.isObject() && SessionIds.isValid(UpstreamEvent.text(session, "id"))) {
				sessions.add(SessionSnapshot.of(session));
			}
		}
		return new SessionPage(List.copyOf(sessions), text(page.get("last_id")), text(page.get("next_page")),
				page.path("has_more").asBoolean(false));
	}

	/** Parses a Session object ({@code GET /sessions/{id}}). */
	SessionSnapshot parseSession(byte[] body) {
		JsonNode session;
		try {
			session = MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("the body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (!session.isObject() || !SessionIds.isValid(UpstreamEvent.text(session, "id"))) {
			throw new MalformedPageException("the body is not a session object");
		}
		return SessionSnapshot.of(session);
	}

	/** The upstream's error envelope fields, when the body has them. */
	ErrorBody parseError(byte[] body) {
		try {
			JsonNode root = MAPPER.readTree(body);
			JsonNode error = root.path("error");
			return new ErrorBody(UpstreamEvent.text(error, "type"), UpstreamEvent.text(error, "message"),
					UpstreamEvent.text(root, "request_id"));
		}
		catch (JacksonException ex) {
			return new ErrorBody(null, null, null);
		}
	}

	private List<UpstreamEvent> readEvents(JsonParser parser, byte[] body) {
		List<UpstreamEvent> events = new ArrayList<>();
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			if (token == null) {
				throw new MalformedPageException("the body ends inside 'data'");
			}
			int start = (int) parser.currentTokenLocation().getByteOffset();
			String[] envelope = (token == JsonToken.START_OBJECT) ? readEnvelope(parser) : null;
			if (token == JsonToken.START_ARRAY) {
				parser.skipChildren();
			}
			int end = (int) parser.currentLocation().getByteOffset();
			byte[] raw = Arrays.copyOfRange(body, start, end);
			events.add(
					(envelope != null)
							? new UpstreamEvent(raw, true, envelope[0], envelope[1], envelope[2], envelope[3],
									envelope[4], envelope[5])
							: new UpstreamEvent(raw, false, null, null, null, null, null, null));
		}
		return events;
	}

	/**
	 * The string values of the envelope fields of an event object, skipping everything
	 * nested.
	 */
	private static String[] readEnvelope(JsonParser parser) {
		String[] envelope = new String[ENVELOPE.size()];
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			int field = ENVELOPE.indexOf(parser.currentName());
			JsonToken value = parser.nextToken();
			if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
				parser.skipChildren();
			}
			else if (field >= 0) {
				envelope[field] = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
			}
		}
		return envelope;
	}

	/** Parses one event's raw text (already validated as part of its page). */
	static JsonNode tree(String raw) {
		return MAPPER.readTree(raw);
	}

	/** Parses one event's raw UTF-8 text (already validated as part of its page). */
	static JsonNode tree(byte[] raw) {
		return MAPPER.readTree(raw);
	}

	/**
	 * The named top-level fields of one event's raw text (already validated as part of
	 * its page), as an object node: the others are skipped unread, which costs far less
	 * than the whole tree.
	 */
	static JsonNode fields(byte[] raw, Set<String> names) {
		ObjectNode fields = MAPPER.createObjectNode();
		try (JsonParser parser = MAPPER.createParser(raw)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return fields;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				parser.nextToken();
				if (names.contains(name)) {
					fields.set(name, FIELD_READER.readTree(parser));
				}
				else {
					parser.skipChildren();
				}
			}
		}
		return fields;
	}

	private static String text(JsonNode node) {
		return (node != null && node.isString()) ? node.asString() : null;
	}

	/** The fields of an upstream error body. */
	record ErrorBody(String type, String message, String requestId) {
	}

	/** A 200 response that is not a page. */
	static class MalformedPageException extends RuntimeException {

		MalformedPageException(String message) {
			super(message);
		}

	}

}
