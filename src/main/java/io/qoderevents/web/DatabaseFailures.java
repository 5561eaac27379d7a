package io.qoderevents.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Tells a failure of the database itself (a dropped connection, a server that refuses
 * connections) from an error of the request, by the exception's causes.
 */
final class DatabaseFailures {

	/**
	 * SQLSTATEs of a server that ended the session: an administrator's command, a crash
	 * or a server that is shutting down or not yet accepting connections.
	 */
	private static final Set<String> SERVER_ENDED = Set.of("57P01", "57P02", "57P03");

	/**
	 * What HikariCP answers, without a SQLSTATE, on a connection it has already evicted
	 * as broken: the rollback after a dropped connection fails with it, and a transaction
	 * manager reports that failure instead of the first.
	 */
	private static final String EVICTED_BY_THE_POOL = "Connection is closed";

	/** How long a client should wait before it asks again. */
	static final int RETRY_AFTER_SECONDS = 5;

	private DatabaseFailures() {
	}

	/**
	 * Whether the failure is a connection the database dropped, so that the same work on
	 * a fresh connection may succeed. A pool that waited in vain for a connection is not:
	 * it has already waited its time.
	 */
	static boolean connectionLost(Throwable failure) {
		boolean lost = false;
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof SQLTransientConnectionException) {
				return false;
			}
			lost = lost || (cause instanceof SQLException sql && dropped(sql));
		}
		return lost;
	}

	/**
	 * Whether the database could not be used at all: a dropped connection, no connection
	 * to be had, or a resource of the server's that failed.
	 */
	static boolean unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessResourceException
					|| cause instanceof SQLTransientConnectionException
					|| (cause instanceof SQLException sql && dropped(sql))) {
				return true;
			}
		}
		return false;
	}

	/** The innermost message, for a log line without a stack trace. */
	static String summary(Throwable failure) {
		Throwable innermost = failure;
		while (next(innermost) != null) {
			innermost = next(innermost);
		}
		String state = (innermost instanceof SQLException sql && sql.getSQLState() != null)
				? " (SQLSTATE " + sql.getSQLState() + ")" : "";
		return innermost.getClass().getSimpleName() + ": " + innermost.getMessage() + state;
	}

	private static boolean dropped(SQLException failure) {
		String state = failure.getSQLState();
		if (state == null) {
			return EVICTED_BY_THE_POOL.equals(failure.getMessage());
		}
		return state.startsWith("08") || SERVER_ENDED.contains(state);
	}

	private static Throwable next(Throwable cause) {
		Throwable next = cause.getCause();
		return (next != cause) ? next : null;
	}

}
