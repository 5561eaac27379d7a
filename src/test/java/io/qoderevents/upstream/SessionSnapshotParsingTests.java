package io.qoderevents.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribution read from a Session object, every shape the upstream has shipped and a
 * few it has not: no Spring, no HTTP.
 */
class SessionSnapshotParsingTests {

	private static final String ID = "sess_0123456789abcdef0123456789abcdef";

	@ParameterizedTest(name = "{0}")
	@MethodSource("sessions")
	void parseSessionWhenAttributionGivenThenReadOrMarkedMalformed(Case check) {
		String body = "{\"id\":\"" + ID + "\",\"type\":\"session\",\"status\":\"idle\",\"title\":\"t\"" + check.fields
				+ "}";
		SessionSnapshot snapshot = new PageParser().parseSession(body.getBytes(StandardCharsets.UTF_8));
		assertThat(snapshot.title()).isEqualTo("t");
		assertThat(snapshot.status()).isEqualTo("idle");
		assertThat(snapshot.attribution()).isEqualTo(check.expected);
	}

	static Stream<Case> sessions() {
		return Stream.of(
				new Case("today's agent object: id, name, a numeric version as text",
						",\"agent\":{\"id\":\"agent_a\",\"type\":\"agent\",\"version\":3,\"name\":\"reviewer\","
								+ "\"model\":{\"id\":\"ultimate\"},\"tools\":[]},\"environment_id\":\"env_1\","
								+ "\"metadata\":{\"team\":\"payments\"}",
						attribution("agent_a", "reviewer", "3", "env_1", "{\"team\":\"payments\"}")),
				new Case("older sessions: a plain agent_id", ",\"agent_id\":\"agent_old\"",
						attribution("agent_old", null, null, null, null)),
				new Case("agent.id wins over a plain agent_id",
						",\"agent\":{\"id\":\"agent_a\"},\"agent_id\":\"agent_b\"",
						attribution("agent_a", null, null, null, null)),
				new Case("nothing given: all null, nothing malformed", "", SessionAttribution.NONE),
				new Case("nulls are absent, not malformed", ",\"agent\":null,\"environment_id\":null,\"metadata\":null",
						SessionAttribution.NONE),
				new Case("metadata values that are not strings are kept as given",
						",\"metadata\":{\"team\":\"a\",\"n\":2,\"tags\":[\"x\"],\"o\":null}",
						attribution(null, null, null, null, "{\"team\":\"a\",\"n\":2,\"tags\":[\"x\"],\"o\":null}")),
				new Case("metadata that is not an object is malformed", ",\"metadata\":\"team=payments\"",
						malformed(null, "metadata")),
				new Case("metadata as an array is malformed", ",\"metadata\":[\"team\"]", malformed(null, "metadata")),
				new Case("metadata with a NUL character (jsonb refuses it) is malformed",
						",\"metadata\":{\"team\":\"a\\u0000b\"}", malformed(null, "metadata")),
				new Case("an agent that is not an object is malformed; the model reads as absent",
						",\"agent\":[\"agent_a\"]", malformed(null, "agent")),
				new Case("agent fields of the wrong type are malformed, the rest is read",
						",\"agent\":{\"id\":\"agent_a\",\"name\":7,\"version\":{\"v\":1}}",
						malformed("agent_a", "agent")),
				new Case("an environment id that is not a string is malformed", ",\"environment_id\":42",
						malformed(null, "environment_id")));
	}

	private static SessionAttribution attribution(String agentId, String agentName, String agentVersion,
			String environmentId, String metadata) {
		return new SessionAttribution(agentId, agentName, agentVersion, environmentId, metadata, List.of());
	}

	private static SessionAttribution malformed(String agentId, String field) {
		return new SessionAttribution(agentId, null, null, null, null, List.of(field));
	}

	record Case(String rule, String fields, SessionAttribution expected) {

		@Override
		public String toString() {
			return this.rule;
		}

	}

}
