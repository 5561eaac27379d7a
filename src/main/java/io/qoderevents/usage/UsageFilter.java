package io.qoderevents.usage;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.qoderevents.web.InvalidParameterException;
import io.qoderevents.web.SessionIdParameter;
import io.qoderevents.web.TimeRange;

/**
 * Which usage a report adds up, and how it groups it.
 *
 * @param grouping by an attribute, in time buckets, or both
 * @param range the window on the usage's time
 * @param sessionIds the sessions to include, all when empty
 * @param zone the time zone the buckets are cut in
 * @param agentId only sessions of this agent, or null
 * @param environmentId only sessions in this environment, or null
 * @param metadata only sessions whose metadata has all these values (as text), by key
 */
record UsageFilter(UsageGrouping grouping, TimeRange range, List<String> sessionIds, ZoneId zone, String agentId,
		String environmentId, Map<String, String> metadata) {

	private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

	private static final int MAX_VALUE_LENGTH = 256;

	UsageFilter(UsageGrouping grouping, TimeRange range, List<String> sessionIds, ZoneId zone) {
		this(grouping, range, sessionIds, zone, null, null, Map.of());
	}

	/**
	 * Validates the query parameters of a report; {@code parameters} are all of the
	 * request's, of which the {@code metadata.<key>} ones are read.
	 * @throws InvalidParameterException naming the first invalid parameter
	 */
	static UsageFilter of(String groupBy, String since, String until, List<String> sessionIds, String tz,
			String agentId, String environmentId, Map<String, List<String>> parameters) {
		UsageGrouping grouping = UsageGrouping.of(groupBy);
		TimeRange range = TimeRange.of(since, until);
		List<String> sessions = SessionIdParameter.requireAll(sessionIds);
		return new UsageFilter(grouping, range, sessions, zone(tz), value("agent_id", agentId),
				value("environment_id", environmentId), metadata(parameters));
	}

	private static Map<String, String> metadata(Map<String, List<String>> parameters) {
		Map<String, String> metadata = new TreeMap<>();
		if (parameters == null) {
			return metadata;
		}
		for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
			String name = parameter.getKey();
			if (!name.startsWith(UsageGrouping.METADATA_PREFIX)) {
				continue;
			}
			String key = name.substring(UsageGrouping.METADATA_PREFIX.length());
			if (!UsageGrouping.METADATA_KEY.matcher(key).matches()) {
				throw new InvalidParameterException(name,
						"metadata.<key> needs a key of 1 to 64 letters, digits, '_', '-', ':' or '.'");
			}
			List<String> values = parameter.getValue();
			if (values == null || values.size() != 1) {
				throw new InvalidParameterException(name, name + " may be given once");
			}
			metadata.put(key, required(name, values.get(0)));
		}
		if (metadata.size() > SessionIdParameter.MAX_VALUES) {
			throw new InvalidParameterException("metadata",
					"at most " + SessionIdParameter.MAX_VALUES + " metadata filters");
		}
		return metadata;
	}

	private static String value(String field, String value) {
		return (value != null) ? required(field, value) : null;
	}

	private static String required(String field, String value) {
		if (value == null || value.isBlank() || value.length() > MAX_VALUE_LENGTH
				|| value.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidParameterException(field,
					field + " must be a value of 1 to " + MAX_VALUE_LENGTH + " characters without control characters");
		}
		return value;
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
