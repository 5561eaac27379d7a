package io.qoderevents.demo;

import java.util.Iterator;
import java.util.List;

/**
 * A fault or delay waiting for the next requests of one session (or of any session when
 * the id is null).
 *
 * @param <T> what is injected
 */
final class Injection<T> {

	private final String sessionId;

	private final T value;

	private int remaining;

	Injection(String sessionId, T value, int times) {
		if (times < 1) {
			throw new IllegalArgumentException("times must be at least 1");
		}
		this.sessionId = sessionId;
		this.value = value;
		this.remaining = times;
	}

	/** Consumes the first injection matching the session, or returns {@code null}. */
	static <T> T take(List<Injection<T>> injections, String sessionId) {
		for (Iterator<Injection<T>> iterator = injections.iterator(); iterator.hasNext();) {
			Injection<T> injection = iterator.next();
			if (injection.sessionId == null || injection.sessionId.equals(sessionId)) {
				if (--injection.remaining == 0) {
					iterator.remove();
				}
				return injection.value;
			}
		}
		return null;
	}

}
