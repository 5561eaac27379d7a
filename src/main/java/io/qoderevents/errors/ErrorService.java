package io.qoderevents.errors;

import java.util.List;

import io.qoderevents.errors.JdbcErrorRepository.GroupKey;
import io.qoderevents.errors.JdbcErrorRepository.SequencedError;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.ListResponse;
import io.qoderevents.web.NotFoundException;
import io.qoderevents.web.SessionIdParameter;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reports on {@code session.error} events: grouped across sessions, and one session's
 * errors flattened.
 */
@Service
class ErrorService {

	private static final String GROUPS = "error-groups-";

	private static final String SESSION_ERRORS = "session-errors";

	private final JdbcErrorRepository repository;

	ErrorService(JdbcErrorRepository repository) {
		this.repository = repository;
	}

	/** One page of error groups, largest first. */
	@Transactional(readOnly = true)
	ListResponse<ErrorGroup> groups(ErrorFilter filter, int limit, String cursor) {
		String kind = GROUPS + filter.grouping().parameter();
		List<String> after = Cursors.decode(kind, cursor, 3);
		List<ErrorGroup> groups = this.repository.groups(filter,
				(after != null) ? new GroupKey(number(after.get(0)), after.get(1), after.get(2)) : null, limit + 1);
		String next = null;
		if (groups.size() > limit) {
			groups = groups.subList(0, limit);
			GroupKey last = GroupKey.of(groups.get(limit - 1), filter.grouping());
			next = Cursors.encode(kind, Long.toString(last.count()), last.errorType(), last.key());
		}
		return new ListResponse<>(groups, next);
	}

	/**
	 * One page of a session's errors in sequence order; 404 when the session is neither
	 * tracked nor has events.
	 */
	@Transactional(readOnly = true)
	ListResponse<SessionError> sessionErrors(String sessionId, int limit, String cursor) {
		SessionIdParameter.require(sessionId);
		if (!this.repository.isKnown(sessionId)) {
			throw new NotFoundException("Session " + sessionId + " is neither tracked nor has events");
		}
		List<String> after = Cursors.decode(SESSION_ERRORS, cursor, 2);
		if (after != null && !after.get(0).equals(sessionId)) {
			throw Cursors.invalid();
		}
		List<SequencedError> rows = this.repository.sessionErrors(sessionId, (after != null) ? number(after.get(1)) : 0,
				limit + 1);
		String next = null;
		if (rows.size() > limit) {
			rows = rows.subList(0, limit);
			next = Cursors.encode(SESSION_ERRORS, sessionId, Long.toString(rows.get(limit - 1).sequence()));
		}
		return new ListResponse<>(rows.stream().map(SequencedError::error).toList(), next);
	}

	private static long number(String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw Cursors.invalid();
		}
	}

}
