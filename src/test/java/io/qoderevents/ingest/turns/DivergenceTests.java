package io.qoderevents.ingest.turns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.qoderevents.upstream.UpstreamEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page read from inside the stored history agrees with it or names where it differs.
 */
class DivergenceTests {

	static Stream<Arguments> cases() {
		Map<String, Long> abc = Map.of("a", 1L, "b", 2L, "c", 3L);
		return Stream.of(
				Arguments.of("the whole history listed again, then new events", 3, 0, List.of("a", "b", "c", "d"), abc,
						Set.of(), null),
				Arguments.of("a later page of the re-read", 3, 2, List.of("c", "d"), Map.of("c", 3L), Set.of(), null),
				Arguments.of("another history from the start", 3, 0, List.of("x", "y"), Map.of(), Set.of(),
						new Divergence("x", 1)),
				Arguments.of("a new event inside the stored history", 3, 0, List.of("a", "x", "b"), abc, Set.of(),
						new Divergence("x", 2)),
				Arguments.of("a page that starts inside and lists a new id first", 3, 1, List.of("x"), Map.of(),
						Set.of(), new Divergence("x", 2)),
				Arguments.of("another session's id is no divergence", 2, 0, List.of("a", "o", "b"), abc, Set.of("o"),
						null),
				Arguments.of("an element without an id is skipped", 2, 0, withoutIdBetween("a", "b"), abc, Set.of(),
						null),
				Arguments.of("read after the stored history's end", 3, 3, List.of("d", "e"), Map.of(), Set.of(), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void ofWhenPageReadFromInsideTheHistoryThenAgreesOrNamesTheFirstDifference(String rule, long eventCount, long start,
			List<String> ids, Map<String, Long> stored, Set<String> others, Divergence expected) {
		List<UpstreamEvent> page = ids.stream().map(DivergenceTests::event).toList();
		assertThat(Divergence.of(eventCount, start, page, stored, others)).isEqualTo(expected);
	}

	private static UpstreamEvent event(String id) {
		return UpstreamEvent
			.of((id != null) ? "{\"id\":\"" + id + "\",\"type\":\"agent.message\"}" : "{\"type\":\"agent.message\"}");
	}

	/** Two ids with an element without an id between them. */
	private static List<String> withoutIdBetween(String first, String second) {
		List<String> ids = new ArrayList<>();
		ids.add(first);
		ids.add(null);
		ids.add(second);
		return ids;
	}

}
