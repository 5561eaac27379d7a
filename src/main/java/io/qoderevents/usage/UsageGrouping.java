package io.qoderevents.usage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.qoderevents.web.InvalidParameterException;

/** How a usage rollup groups usage: by session, in day or hour buckets, or by model. */
enum UsageGrouping {

	SESSION, DAY, HOUR, MODEL;

	static UsageGrouping of(String value) {
		if (value == null || value.isBlank()) {
			return SESSION;
		}
		return Arrays.stream(values())
			.filter((grouping) -> grouping.parameter().equals(value))
			.findFirst()
			.orElseThrow(() -> new InvalidParameterException("group_by", "group_by must be one of "
					+ Arrays.stream(values()).map(UsageGrouping::parameter).collect(Collectors.joining(", "))));
	}

	/**
	 * The value of the {@code group_by} parameter, also the {@code date_trunc} unit of a
	 * bucket.
	 */
	String parameter() {
		return name().toLowerCase(Locale.ROOT);
	}

}
