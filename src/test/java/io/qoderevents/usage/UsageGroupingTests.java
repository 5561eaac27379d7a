package io.qoderevents.usage;

import io.qoderevents.usage.UsageGrouping.Attribute;
import io.qoderevents.usage.UsageGrouping.Bucket;
import io.qoderevents.web.InvalidParameterException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UsageGroupingTests {

	@ParameterizedTest
	@CsvSource(nullValues = "-", value = { "session, -, SESSION, -", "model, -, MODEL, -", "agent, -, AGENT, -",
			"environment, -, ENVIRONMENT, -", "metadata.team, -, METADATA, team", "day, DAY, -, -", "hour, HOUR, -, -",
			"'day,metadata.cost_centre', DAY, METADATA, cost_centre", "'hour,agent', HOUR, AGENT, -",
			"'day,session', DAY, SESSION, -", "metadata.a.b, -, METADATA, a.b" })
	void ofWhenValidThenBucketAttributeAndKeyAndTheSameValueBack(String value, Bucket bucket, Attribute attribute,
			String key) {
		UsageGrouping grouping = UsageGrouping.of(value);
		assertThat(grouping).isEqualTo(new UsageGrouping(bucket, attribute, key));
		assertThat(grouping.parameter()).isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "week", "Day", "day,", ",day", "day,hour", "agent,day", "day,agent,model", "metadata.",
			"metadata", "metadata.a b", "metadata.é", "day,metadata.", "session ", "metadata.x'--" })
	void ofWhenInvalidThenNamesGroupBy(String value) {
		assertThatExceptionOfType(InvalidParameterException.class).isThrownBy(() -> UsageGrouping.of(value))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("group_by"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " " })
	void ofWhenBlankThenBySession(String value) {
		assertThat(UsageGrouping.of(value)).isEqualTo(UsageGrouping.SESSION);
		assertThat(UsageGrouping.of(value).bySessionOnly()).isTrue();
	}

}
