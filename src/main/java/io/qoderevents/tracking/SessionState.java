package io.qoderevents.tracking;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where ingestion of a tracked session stands. The {@link #value() wire value} is what
 * the API, the metrics and the {@code tracked_session.state} column say; the column's
 * check constraint lists the same values.
 */
public enum SessionState {

	/** Polled on schedule; the last poll succeeded. */
	ACTIVE,

	/** The session has ended upstream; no longer polled. */
	COMPLETED,

	/**
	 * The upstream's history of the session is not the stored one (a cursor rejected, and
	 * the re-read listed other events); no longer polled, nothing more stored.
	 */
	DIVERGED,

	/** Polled with backoff after failed polls. */
	FAILING,

	/** The upstream does not know the session; no longer polled. */
	NOT_FOUND,

	/** The upstream refused the credentials; polled again after a pause. */
	UNAUTHORIZED;

	/** The states the poller leases on schedule (a sync request leases any). */
	public static final Set<SessionState> POLLED = Set.of(ACTIVE, FAILING, UNAUTHORIZED);

	private final String value = name().toLowerCase(Locale.ROOT);

	/** The lower_snake value of the API and the column. */
	@JsonValue
	public String value() {
		return this.value;
	}

	/** The state of a wire value. */
	public static SessionState of(String value) {
		for (SessionState state : values()) {
			if (state.value.equals(value)) {
				return state;
			}
		}
		throw new IllegalArgumentException("Unknown session state " + value);
	}

	/**
	 * The states as a SQL list of literals, {@code 'active', 'failing'}, for statements
	 * whose set must stay literal (a partial index's predicate).
	 */
	public static String sqlLiterals(Collection<SessionState> states) {
		return states.stream().sorted().map((state) -> "'" + state.value + "'").collect(Collectors.joining(", "));
	}

	/**
	 * The wire value, so that messages and enum-typed parameters read as the API does.
	 */
	@Override
	public String toString() {
		return this.value;
	}

}
