package io.qoderevents.usage;

import io.qoderevents.web.GroupByParameter;

/** How a usage rollup groups usage: by session, in day or hour buckets, or by model. */
enum UsageGrouping {

	SESSION, DAY, HOUR, MODEL;

	static UsageGrouping of(String value) {
		return GroupByParameter.parse(value, SESSION);
	}

	/**
	 * The value of the {@code group_by} parameter, also the {@code date_trunc} unit of a
	 * bucket.
	 */
	String parameter() {
		return GroupByParameter.name(this);
	}

}
