package io.qoderevents.errors;

import java.util.List;

import io.qoderevents.errors.JdbcErrorRepository.GroupKey;
import io.qoderevents.errors.JdbcErrorRepository.SequencedError;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.ListResponse;
import io.qoderevents.web.TimeRange;

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

	private final TrackingService tracking;

	ErrorService(JdbcErrorRepository repository, TrackingService tracking) {
		this.repository = repository;
		this.tracking = tracking;
	}

	/** One page of error groups, largest first. */
	@Transactional(readOnly = true)
	ListResponse<ErrorGroup> groups(ErrorFilter filter, int limit, String cursor) {
		String kind = GROUPS + filter.grouping().parameter();
		List<String> after = Cursors.decode(kind, cursor, 3);
		List<ErrorGroup> groups = this.repository.groups(filter,
				(after != null) ? new GroupKey(number(after.get(0)), after.get(1), after.get(2)) : null,
				Keyset.fetchSize(limit));
		return Keyset.cut(groups, limit, (group) -> {
			GroupKey last = GroupKey.of(group, filter.grouping());
			return Cursors.encode(kind, Long.toString(last.count()), last.errorType(), last.key());
		}).toResponse();
	}

	/**
	 * One page of a session's errors in the range, in sequence order; 404 when the
	 * session is neither tracked nor has events.
	 */
	@Transactional(readOnly = true)
	ListResponse<SessionError> sessionErrors(String sessionId, TimeRange range, int limit, String cursor) {
		this.tracking.requireKnown(sessionId);
		List<String> after = Cursors.decode(SESSION_ERRORS, cursor, 2);
		if (after != null && !after.get(0).equals(sessionId)) {
			throw Cursors.invalid();
		}
		List<SequencedError> rows = this.repository.sessionErrors(sessionId, range,
				(after != null) ? number(after.get(1)) : 0, Keyset.fetchSize(limit));
		return Keyset
			.cut(rows, limit, (row) -> Cursors.encode(SESSION_ERRORS, sessionId, Long.toString(row.sequence())))
			.map(SequencedError::error);
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
