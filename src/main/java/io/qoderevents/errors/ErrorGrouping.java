package io.qoderevents.errors;

import io.qoderevents.web.GroupByParameter;

/**
 * How error groups are cut: by type, by type and message, or by session (with the
 * session's types inside the group).
 */
enum ErrorGrouping {

	/** By {@code error_type}. */
	TYPE("error_type", "''::text", "null::text"),

	/** By {@code error_type} and message pattern, with a sample message. */
	MESSAGE("error_type", "message_pattern", "min(message)"),

	/** By session, with the session's error types. */
	SESSION("''::text", "session_id", "null::text");

	private final String type;

	private final String column;

	private final String sample;

	ErrorGrouping(String type, String column, String sample) {
		this.type = type;
		this.column = column;
		this.sample = sample;
	}

	static ErrorGrouping of(String value) {
		return GroupByParameter.parse(value, TYPE);
	}

	/** The value of the {@code group_by} parameter. */
	String parameter() {
		return GroupByParameter.name(this);
	}

	/**
	 * The SQL expression of a group's error type ({@code ''} when types are not apart).
	 */
	String type() {
		return this.type;
	}

	/** The SQL expression that, with the error type, keys a group. */
	String column() {
		return this.column;
	}

	/** The SQL aggregate of a group's sample message. */
	String sample() {
		return this.sample;
	}

}
