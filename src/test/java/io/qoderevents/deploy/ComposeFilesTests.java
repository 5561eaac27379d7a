package io.qoderevents.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compose files as Docker Compose reads them: the demo's ({@code docker-compose.yml})
 * and the real API's layered over it ({@code docker-compose.real.yml}).
 */
class ComposeFilesTests {

	private static final Path DEMO = Path.of("docker-compose.yml");

	private static final Path REAL = Path.of("docker-compose.real.yml");

	private static final String PASSWORD_FROM_ENVIRONMENT = "^\\$\\{POSTGRES_PASSWORD:\\?[^}]+\\}$";

	@ParameterizedTest
	@ValueSource(strings = { "docker-compose.yml", "docker-compose.real.yml" })
	void portsWhenPublishedThenManagementPortOnLoopbackOnly(String file) throws IOException {
		List<String> ports = get(read(Path.of(file)), "services", "qoder-events", "ports");
		assertThat(ports).filteredOn((port) -> port.endsWith(":8081")).containsExactly("127.0.0.1:8081:8081");
		assertThat(ports).contains("8080:8080");
	}

	@Test
	void portsWhenRealLayeredOverDemoThenRealListReplacesTheDemos() throws IOException {
		Node ports = node(new Yaml().compose(Files.newBufferedReader(REAL)), "services", "qoder-events", "ports");
		assertThat(ports).isInstanceOf(SequenceNode.class);
		assertThat(ports.getTag().getValue()).isEqualTo("!override");
	}

	@Test
	void databasePasswordWhenRealThenFromTheEnvironmentWithNoDefault() throws IOException {
		Map<String, Object> services = get(read(REAL), "services");
		assertThat((String) get(services, "postgres", "environment", "POSTGRES_PASSWORD"))
			.matches(PASSWORD_FROM_ENVIRONMENT);
		assertThat((String) get(services, "qoder-events", "environment", "SPRING_DATASOURCE_PASSWORD"))
			.matches(PASSWORD_FROM_ENVIRONMENT);
	}

	@Test
	void webhookSecretWhenRealThenPassedThrough() throws IOException {
		assertThat((String) get(read(REAL), "services", "qoder-events", "environment", "QODER_WEBHOOKS_SECRET"))
			.startsWith("${QODER_WEBHOOKS_SECRET");
	}

	@Test
	void realDataWhenRealThenInAVolumeOfItsOwn() throws IOException {
		assertThat(get(read(REAL), "services", "postgres", "volumes").toString()).contains("postgres-real:");
		assertThat(get(read(DEMO), "services", "postgres", "volumes").toString()).contains("postgres-demo:");
	}

	@Test
	void buildContextWhenDemoRanThenItsDataIsLeftOut() throws IOException {
		assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains(".demo-data/", "target/");
	}

	private static Map<String, Object> read(Path file) throws IOException {
		return new Yaml(new ComposeConstructor()).load(Files.readString(file));
	}

	@SuppressWarnings("unchecked")
	private static <T> T get(Map<String, Object> node, String... path) {
		Object current = node;
		for (String step : path) {
			assertThat(current).as("parent of %s", step).isInstanceOf(Map.class);
			current = ((Map<String, Object>) current).get(step);
		}
		return (T) current;
	}

	private static Node node(Node root, String... path) {
		Node current = root;
		for (String step : path) {
			current = ((MappingNode) current).getValue()
				.stream()
				.filter((tuple) -> step.equals(((ScalarNode) tuple.getKeyNode()).getValue()))
				.map(NodeTuple::getValueNode)
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + step));
		}
		return current;
	}

	/** Reads Compose's {@code !override} and {@code !reset} tags as plain values. */
	private static final class ComposeConstructor extends SafeConstructor {

		ComposeConstructor() {
			super(new LoaderOptions());
			AbstractConstruct plain = new AbstractConstruct() {

				@Override
				public Object construct(Node node) {
					return (node instanceof SequenceNode sequence) ? constructSequence(sequence)
							: (node instanceof MappingNode mapping) ? constructMapping(mapping)
									: constructScalar((ScalarNode) node);
				}

			};
			this.yamlConstructors.put(new Tag("!override"), plain);
			this.yamlConstructors.put(new Tag("!reset"), plain);
		}

	}

}
