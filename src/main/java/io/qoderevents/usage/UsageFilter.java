package io.qoderevents.usage;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;

/**
 * Which turns a usage rollup adds up, and how it groups them.
 *
 * @param grouping by session, day or hour
 * @param range the window on the turns' completion time
 * @param sessionIds the sessions to include, all when empty
 * @param zone the time zone the buckets are cut in
 */
record UsageFilter(UsageGrouping grouping, TimeRange range, List<String> sessionIds, ZoneId zone) {

	private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

	/**
	 * Validates the query parameters of a rollup.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static UsageFilter of(String groupBy, String since, String until, List<String> sessionIds, String tz) {
		UsageGrouping grouping = UsageGrouping.of(groupBy);
		TimeRange range = TimeRange.of(since, until);
		List<String> sessions = SessionIdParameter.requireAll(sessionIds);
		return new UsageFilter(grouping, range, sessions, zone(tz));
	}

	private static ZoneId zone(String tz) {
		if (tz == null || tz.isBlank()) {
			return ZoneId.of("UTC");
		}
		if (!ZONES.contains(tz) || tz.startsWith("SystemV/")) {
			throw new InvalidParameterException("tz", "tz must be an IANA time zone name such as UTC or Asia/Shanghai");
		}
		return ZoneId.of(tz);
	}

}
