package io.qoderevents.tracking;

import java.beans.PropertyEditorSupport;

/**
 * Binds a request parameter such as {@code ?state=failing} to {@link SessionState} by its
 * wire value only; anything else is a type mismatch, answered with 400 listing the
 * accepted values. An editor rather than a {@code Converter} bean: when a converter
 * rejects a value, the binder falls back to {@code Enum.valueOf} and maps an empty value
 * to null, which would accept {@code ?state=FAILING} and read {@code ?state=} as no
 * filter.
 */
class SessionStateParameter extends PropertyEditorSupport {

	@Override
	public void setAsText(String text) {
		setValue(SessionState.of(text));
	}

}
