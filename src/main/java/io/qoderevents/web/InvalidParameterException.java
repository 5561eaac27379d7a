package io.qoderevents.web;

/**
 * A caller sent a parameter the API cannot accept; answered with 400 naming the
 * parameter.
 */
public class InvalidParameterException extends RuntimeException {

	private final String field;

	public InvalidParameterException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
