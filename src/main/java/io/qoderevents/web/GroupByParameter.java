package io.qoderevents.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code group_by} parameter of a report: the lower-case name of one of the constants
 * of the report's grouping enum.
 */
public final class GroupByParameter {

	private GroupByParameter() {
	}

	/**
	 * The grouping {@code value} names, {@code absent} when it is blank.
	 * @throws InvalidParameterException naming {@code group_by} when no grouping of
	 * {@code absent}'s enum has that name
	 */
	public static <G extends Enum<G>> G parse(String value, G absent) {
		if (value == null || value.isBlank()) {
			return absent;
		}
		G[] groupings = absent.getDeclaringClass().getEnumConstants();
		return Arrays.stream(groupings)
			.filter((grouping) -> name(grouping).equals(value))
			.findFirst()
			.orElseThrow(() -> new InvalidParameterException("group_by", "group_by must be one of "
					+ Arrays.stream(groupings).map(GroupByParameter::name).collect(Collectors.joining(", "))));
	}

	/** The value of {@code group_by} that names the grouping. */
	public static String name(Enum<?> grouping) {
		return grouping.name().toLowerCase(Locale.ROOT);
	}

}
