package io.qoderevents.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways to the image, the Dockerfile and the Maven {@code image} profile (Jib),
 * build the same container: base, user, ports and JVM flags.
 */
class ImageDefinitionTests {

	/** What the chart's ConfigMap also sets by default (HelmChartTests). */
	private static final String JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError";

	private static String dockerfile;

	private static XPath jib;

	private static Document pom;

	@BeforeAll
	static void read() throws Exception {
		dockerfile = Files.readString(Path.of("Dockerfile"));
		pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		jib = XPathFactory.newInstance().newXPath();
	}

	@Test
	void jvmFlagsWhenEitherBuildThenTheSame() throws Exception {
		assertThat(dockerfileLine("ENV JAVA_TOOL_OPTIONS=\"(.*)\"")).isEqualTo(JAVA_TOOL_OPTIONS);
		assertThat(jib("container/environment/JAVA_TOOL_OPTIONS")).containsExactly(JAVA_TOOL_OPTIONS);
	}

	@Test
	void userAndPortsWhenEitherBuildThenTheSame() throws Exception {
		assertThat(dockerfileLine("USER (.*)")).isEqualTo("10001:10001");
		assertThat(jib("container/user")).containsExactly("10001:10001");
		assertThat(dockerfileLine("EXPOSE (.*)")).isEqualTo("8080 8081");
		assertThat(jib("container/ports/port")).containsExactly("8080", "8081");
	}

	@Test
	void baseWhenEitherBuildThenTheSameRuntimeImage() throws Exception {
		assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre\n");
		assertThat(jib("from/image")).containsExactly("eclipse-temurin:17-jre");
	}

	private static String dockerfileLine(String regex) {
		Matcher matcher = Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(dockerfile);
		assertThat(matcher.find()).as("a line %s in the Dockerfile", regex).isTrue();
		return matcher.group(1);
	}

	private static List<String> jib(String path) throws Exception {
		// the document is read without namespaces, so the POM's elements match by name
		String expression = "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']"
				+ "/configuration/" + path;
		NodeList nodes = (NodeList) jib.evaluate(expression, pom, XPathConstants.NODESET);
		return IntStream.range(0, nodes.getLength()).mapToObj((i) -> nodes.item(i).getTextContent().trim()).toList();
	}

}
