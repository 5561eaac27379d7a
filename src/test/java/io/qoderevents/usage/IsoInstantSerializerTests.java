package io.qoderevents.usage;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written format is {@link Instant#toString()}, character for character. */
class IsoInstantSerializerTests {

	@ParameterizedTest
	@ValueSource(strings = { "2026-10-27T00:28:31Z", "2026-10-27T00:28:46.446Z", "2026-10-27T02:15:20.257298Z",
			"2026-10-27T02:15:20.000000001Z", "2026-10-27T02:15:20.100Z", "2026-10-27T02:15:20.000100Z",
			"1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "0000-06-01T00:00:00Z",
			"-0001-06-01T00:00:00Z", "+10000-01-01T00:00:00.5Z" })
	void formatWhenInstantGivenThenSameTextAsToString(String text) {
		Instant instant = Instant.parse(text);
		assertThat(IsoInstantSerializer.format(instant)).isEqualTo(instant.toString());
	}

	@Test
	void formatWhenManyInstantsThenSameTextAsToString() {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 100_000; i++) {
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L), nanos);
			assertThat(IsoInstantSerializer.format(instant)).isEqualTo(instant.toString());
		}
	}

}
