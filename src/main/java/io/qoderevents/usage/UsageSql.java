package io.qoderevents.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.qoderevents.web.TimeRange;

/**
 * How the usage repositories bind and read times. A range binds both bounds always, an
 * open end as {@code -infinity} or {@code infinity}, so one statement serves every range:
 * the columns it is compared with are never null.
 */
final class UsageSql {

	private UsageSql() {
	}

	/** {@code :since} (inclusive) and {@code :until} (exclusive) of the range. */
	static Map<String, Object> bounds(TimeRange range) {
		return Map.of("since", (range.since() != null) ? range.since() : OffsetDateTime.MIN, "until",
				(range.until() != null) ? range.until() : OffsetDateTime.MAX);
	}

	/** Whether the range leaves out any time at all. */
	static boolean bounded(TimeRange range) {
		return range.since() != null || range.until() != null;
	}

	/** {@code :after} of a time keyset, {@code -infinity} for the first page. */
	static OffsetDateTime after(Instant after) {
		return (after != null) ? OffsetDateTime.ofInstant(after, ZoneOffset.UTC) : OffsetDateTime.MIN;
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
