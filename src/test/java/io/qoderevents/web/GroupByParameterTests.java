package io.qoderevents.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GroupByParameterTests {

	enum Grouping {

		TYPE, MESSAGE, SESSION

	}

	@Test
	void parseWhenBlankOrAbsentThenTheDefault() {
		assertThat(GroupByParameter.parse(null, Grouping.MESSAGE)).isEqualTo(Grouping.MESSAGE);
		assertThat(GroupByParameter.parse(" ", Grouping.MESSAGE)).isEqualTo(Grouping.MESSAGE);
	}

	@Test
	void parseWhenLowerCaseNameThenThatGrouping() {
		assertThat(GroupByParameter.parse("session", Grouping.TYPE)).isEqualTo(Grouping.SESSION);
		assertThat(GroupByParameter.name(Grouping.SESSION)).isEqualTo("session");
	}

	@Test
	void parseWhenUnknownOrNotLowerCaseThenInvalidGroupByListingEach() {
		for (String value : new String[] { "SESSION", "sessions", "'--" }) {
			assertThatExceptionOfType(InvalidParameterException.class)
				.isThrownBy(() -> GroupByParameter.parse(value, Grouping.TYPE))
				.withMessage("group_by must be one of type, message, session")
				.satisfies((ex) -> assertThat(ex.field()).isEqualTo("group_by"));
		}
	}

}
