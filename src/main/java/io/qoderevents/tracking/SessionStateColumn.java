package io.qoderevents.tracking;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Maps {@link SessionState} to the {@code tracked_session.state} text column. */
@Converter
class SessionStateColumn implements AttributeConverter<SessionState, String> {

	@Override
	public String convertToDatabaseColumn(SessionState state) {
		return (state != null) ? state.value() : null;
	}

	@Override
	public SessionState convertToEntityAttribute(String value) {
		return (value != null) ? SessionState.of(value) : null;
	}

}
