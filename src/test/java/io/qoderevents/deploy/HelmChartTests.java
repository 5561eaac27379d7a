package io.qoderevents.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lints and renders the Helm chart in {@code helm/qoder-events} with the embedded Helm of
 * helm-java, and reads every rendered manifest strictly into the Kubernetes object model.
 */
class HelmChartTests {

	private static final Path CHART = Path.of("helm/qoder-events");

	private static final Path PRODUCTION_VALUES = CHART.resolve("examples/production-values.yaml");

	private static final Path TEST_VALUES = Path.of("src/test/resources/helm");

	private static final Path SECRETS_VALUES = TEST_VALUES.resolve("secrets-values.yaml");

	private static final Path ALL_FEATURES_VALUES = TEST_VALUES.resolve("all-features-values.yaml");

	/** The image an operator pushed; the chart has none of its own. */
	private static final Path IMAGE_VALUES = TEST_VALUES.resolve("image-values.yaml");

	private static final String CA_DIRECTORY = "/etc/qoder-events/database-ca";

	/**
	 * The production example with its key placeholders replaced, as an operator installs
	 * it.
	 */
	private static final List<Path> PRODUCTION = List.of(PRODUCTION_VALUES,
			TEST_VALUES.resolve("production-keys-values.yaml"));

	private static final String OPS_KEY_SHA256 = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

	static Stream<Named<List<Path>>> valueSets() {
		return Stream.of(Named.of("default values", List.of()), Named.of("production values", PRODUCTION),
				Named.of("values with secrets", List.of(SECRETS_VALUES)));
	}

	static Stream<Named<List<Path>>> everyValueSet() {
		return Stream.concat(valueSets(), Stream.of(Named.of("every option on", List.of(ALL_FEATURES_VALUES))));
	}

	@Test
	void lintWhenDefaultValuesAndAnImageThenPasses(@TempDir Path directory) {
		LintResult result = new Helm(chartWithValues(directory, List.of(IMAGE_VALUES))).lint().strict().call();
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
	}

	@Test
	void lintWhenNoImageRepositoryThenFailsNamingIt() {
		LintResult result = new Helm(CHART).lint().call();
		assertThat(result.isFailed()).isTrue();
		assertThat(String.join("\n", result.getMessages())).contains("image.repository");
	}

	@Test
	void templateWhenImageRepositoryIsAPlaceholderThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(() -> render(List.of(), "image.repository", "REPLACE-with-your-registry/qoder-events"))
			.withMessageContaining("repository");
	}

	@Test
	void lintWhenProductionValuesThenPasses(@TempDir Path directory) {
		LintResult result = new Helm(chartWithValues(directory, PRODUCTION)).lint().strict().call();
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
	}

	@Test
	void lintWhenValueBreaksSchemaThenFails(@TempDir Path directory) {
		Path chart = chartWithValues(directory, List.of(TEST_VALUES.resolve("invalid-replica-count-values.yaml")));
		LintResult result = new Helm(chart).lint().call();
		assertThat(result.isFailed()).isTrue();
		assertThat(String.join("\n", result.getMessages())).contains("replicaCount");
	}

	@ParameterizedTest
	@MethodSource("valueSets")
	void templateWhenRenderedThenProbesCheckHealthGroupsOnManagementPort(List<Path> valuesFiles) {
		Map<String, Object> container = container(render(valuesFiles));
		assertThat(value(container, "startupProbe", "httpGet")).isEqualTo(httpGet("/actuator/health/liveness"));
		assertThat(value(container, "livenessProbe", "httpGet")).isEqualTo(httpGet("/actuator/health/liveness"));
		assertThat(value(container, "readinessProbe", "httpGet")).isEqualTo(httpGet("/actuator/health/readiness"));
		assertThat((Integer) get(container, "startupProbe", "failureThreshold")).isGreaterThanOrEqualTo(30);
		assertThat(value(container, "ports"))
			.isEqualTo(List.of(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
					Map.of("name", "management", "containerPort", 8081, "protocol", "TCP")));
	}

	@ParameterizedTest
	@MethodSource("valueSets")
	void templateWhenRenderedThenPodAndContainerAreLockedDown(List<Path> valuesFiles) {
		Manifests manifests = render(valuesFiles);
		Map<String, Object> pod = get(manifests.one("Deployment"), "spec", "template", "spec");
		assertThat(value(pod, "securityContext")).isEqualTo(Map.of("runAsNonRoot", true, "runAsUser", 10001,
				"runAsGroup", 10001, "fsGroup", 10001, "seccompProfile", Map.of("type", "RuntimeDefault")));
		assertThat(value(container(manifests), "securityContext")).isEqualTo(Map.of("readOnlyRootFilesystem", true,
				"allowPrivilegeEscalation", false, "capabilities", Map.of("drop", List.of("ALL"))));
		List<Map<String, Object>> mounts = get(container(manifests), "volumeMounts");
		assertThat(mounts.get(0)).isEqualTo(Map.of("name", "tmp", "mountPath", "/tmp"));
		assertThat(mounts.subList(1, mounts.size()))
			.allSatisfy((mount) -> assertThat(mount).containsEntry("readOnly", true));
		Map<String, Object> volume = get(pod, "volumes", 0);
		assertThat(volume).containsEntry("name", "tmp").containsKey("emptyDir");
		assertThat(value(pod, "terminationGracePeriodSeconds")).isEqualTo(40);
		assertThat(value(manifests.one("Deployment"), "spec", "strategy"))
			.isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 0, "maxSurge", 1)));
	}

	@ParameterizedTest
	@MethodSource("valueSets")
	void templateWhenRenderedThenConfigMapHoldsNoSecret(List<Path> valuesFiles) {
		Manifests manifests = render(valuesFiles);
		Map<String, Object> data = get(manifests.one("ConfigMap"), "data");
		assertThat(data).doesNotContainKeys("QODER_PAT", "QODER_UPSTREAM_TOKEN", "SPRING_DATASOURCE_PASSWORD");
		assertThat(data.keySet()).noneMatch((key) -> key.contains("PASSWORD") || key.contains("TOKEN")
				|| key.contains("SECRET") || key.startsWith("QODER_API_AUTH_KEYS"));
		assertThat(String.valueOf(data)).doesNotContain("test-qoder-pat", "test-database-password",
				"test-api-key-value-of-32-characters", OPS_KEY_SHA256);
		assertThat(data).containsEntry("MANAGEMENT_SERVER_PORT", "8081")
			.containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
			.containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "QODER_UPSTREAM_BASEURL",
					"QODER_UPSTREAM_PAGESIZE", "QODER_UPSTREAM_MAXREQUESTSPERSECOND", "QODER_INGEST_POLLINTERVAL",
					"QODER_INGEST_CONCURRENCY", "QODER_API_AUTH_ENABLED");
	}

	@Test
	void templateWhenSecretsGivenThenSecretHoldsThemAndContainerReadsThem() {
		Manifests manifests = render(List.of(SECRETS_VALUES));
		Map<String, Object> secret = get(manifests.one("Secret"), "stringData");
		assertThat(secret).containsEntry("QODER_PAT", "test-qoder-pat")
			.containsEntry("SPRING_DATASOURCE_PASSWORD", "test-database-password")
			.containsEntry("QODER_API_AUTH_KEYS_0_NAME", "dashboards")
			.containsEntry("QODER_API_AUTH_KEYS_0_ROLE", "read")
			.containsEntry("QODER_API_AUTH_KEYS_0_VALUE", "test-api-key-value-of-32-characters")
			.containsEntry("QODER_API_AUTH_KEYS_1_NAME", "ops")
			.containsEntry("QODER_API_AUTH_KEYS_1_ROLE", "admin")
			.containsEntry("QODER_API_AUTH_KEYS_1_SHA256", OPS_KEY_SHA256)
			.doesNotContainKeys("QODER_API_AUTH_KEYS_0_SHA256", "QODER_API_AUTH_KEYS_1_VALUE");
		Map<String, Map<String, Object>> env = secretEnv(container(manifests));
		// and the webhook secrets, optional: an existing Secret may hold them, this one
		// does not
		Set<String> expected = new HashSet<>(secret.keySet());
		expected.addAll(List.of("QODER_WEBHOOKS_SECRET", "QODER_WEBHOOKS_PREVIOUSSECRET"));
		assertThat(env).containsOnlyKeys(expected);
		assertThat(env.values()).allSatisfy((ref) -> assertThat(ref).containsEntry("name", "qoder-events"));
		Map<String, Object> annotations = get(manifests.one("Deployment"), "spec", "template", "metadata",
				"annotations");
		assertThat(annotations).containsKeys("checksum/config", "checksum/secret");
	}

	@Test
	void templateWhenExistingSecretThenCredentialsComeFromItAndApiKeysFromChartSecret() {
		Manifests manifests = render(PRODUCTION);
		Map<String, Object> secret = get(manifests.one("Secret"), "stringData");
		assertThat(secret).doesNotContainKeys("QODER_PAT", "SPRING_DATASOURCE_PASSWORD")
			.containsEntry("QODER_API_AUTH_KEYS_1_ROLE", "admin");
		Map<String, Map<String, Object>> env = secretEnv(container(manifests));
		assertThat(env.get("QODER_PAT")).containsEntry("name", "qoder-events-credentials");
		assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).containsEntry("name", "qoder-events-credentials");
		assertThat(env.get("QODER_API_AUTH_KEYS_0_SHA256")).containsEntry("name", "qoder-events");
		// the webhook secret, if the Secret holds one
		assertThat(env.get("QODER_WEBHOOKS_SECRET")).containsEntry("name", "qoder-events-credentials")
			.containsEntry("optional", true);
		assertThat(env.get("QODER_WEBHOOKS_PREVIOUSSECRET")).containsEntry("optional", true);
		assertThat(value(manifests.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL")).asString()
			.startsWith("jdbc:postgresql://qoder-events.cluster-abc123.")
			.endsWith(":5432/qoder_events?sslmode=verify-full&sslrootcert=" + CA_DIRECTORY + "/ca.crt");
	}

	@Test
	void templateWhenExistingSecretAndNoApiKeysThenNoChartSecret() {
		Manifests manifests = render(List.of(), "existingSecret", "credentials");
		assertThat(manifests.all("Secret")).isEmpty();
		assertThat(secretEnv(container(manifests)).get("QODER_PAT")).containsEntry("name", "credentials");
	}

	@Test
	void templateWhenDatabaseUrlGivenThenConfigMapUsesIt() {
		Manifests manifests = render(List.of(), "database.url", "jdbc:postgresql://db:6432/events");
		assertThat(value(manifests.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://db:6432/events");
	}

	@Test
	void templateWhenDemoProfileThenProfileOwnsUpstreamAndAuthSettings() {
		Map<String, Object> data = get(render(List.of(), "springProfiles", "demo").one("ConfigMap"), "data");
		assertThat(data).containsEntry("SPRING_PROFILES_ACTIVE", "demo")
			.doesNotContainKeys("QODER_UPSTREAM_BASEURL", "QODER_API_AUTH_ENABLED");
	}

	@Test
	void templateWhenDefaultValuesThenOneReplicaAndNoServiceMonitorOrHpa() {
		Manifests manifests = render(List.of());
		assertThat(value(manifests.one("Deployment"), "spec", "replicas")).isEqualTo(1);
		assertThat(value(container(manifests), "resources"))
			.isEqualTo(Map.of("requests", Map.of("cpu", "250m", "memory", "1Gi"), "limits", Map.of("memory", "1Gi")));
		assertThat(value(manifests.one("ConfigMap"), "data", "JAVA_TOOL_OPTIONS"))
			.isEqualTo("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError");
		assertThat(value(manifests.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://postgres:5432/qoder_events?sslmode=prefer");
		assertThat(manifests.all("ServiceMonitor")).isEmpty();
		assertThat(manifests.all("PrometheusRule")).isEmpty();
		assertThat(manifests.all("HorizontalPodAutoscaler")).isEmpty();
		assertThat(manifests.one("PodDisruptionBudget")).isNotNull();
	}

	@Test
	void templateWhenReplicaCountAndResourcesSetThenDeploymentHonoursThem() {
		Manifests manifests = render(List.of(SECRETS_VALUES));
		assertThat(value(manifests.one("Deployment"), "spec", "replicas")).isEqualTo(2);
		assertThat(value(container(manifests), "resources")).isEqualTo(Map.of("requests",
				Map.of("cpu", "300m", "memory", "600Mi"), "limits", Map.of("cpu", "2", "memory", "900Mi")));
	}

	@Test
	void templateWhenProductionValuesThenServiceMonitorScrapesManagementAndHpaOwnsReplicas() {
		Manifests manifests = render(PRODUCTION);
		assertThat(value(manifests.one("ServiceMonitor"), "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		Map<String, Object> endpoint = get(manifests.one("ServiceMonitor"), "spec", "endpoints", 0);
		assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
		Map<String, Object> hpa = manifests.one("HorizontalPodAutoscaler");
		assertThat(value(hpa, "apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(value(hpa, "spec", "minReplicas")).isEqualTo(3);
		assertThat(value(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("qoder-events");
		Map<String, Object> deployment = get(manifests.one("Deployment"), "spec");
		assertThat(deployment).doesNotContainKey("replicas");
		assertThat(value(container(manifests), "resources"))
			.isEqualTo(Map.of("requests", Map.of("cpu", "500m", "memory", "1Gi"), "limits", Map.of("memory", "1Gi")));
	}

	@Test
	void templateWhenRenderedThenServiceExposesNamedPorts() {
		Map<String, Object> service = render(List.of()).one("Service");
		assertThat(value(service, "spec", "type")).isEqualTo("ClusterIP");
		assertThat(value(service, "spec", "ports"))
			.isEqualTo(List.of(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"),
					Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP")));
	}

	@Test
	void templateWhenReplicaCountIsNotAnIntegerThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(() -> render(List.of(TEST_VALUES.resolve("invalid-replica-count-values.yaml"))))
			.withMessageContaining("replicaCount");
	}

	@Test
	void templateWhenPageSizeAboveLimitThenSchemaRejectsIt() {
		assertThatException().isThrownBy(() -> render(List.of(TEST_VALUES.resolve("invalid-page-size-values.yaml"))))
			.withMessageContaining("pageSize");
	}

	@Test
	void templateWhenPollIntervalIsNotADurationThenSchemaRejectsIt() {
		assertThatException().isThrownBy(() -> render(List.of(), "ingest.pollInterval", "soon"))
			.withMessageContaining("pollInterval");
	}

	@Test
	void templateWhenUnknownTopLevelValueThenSchemaRejectsIt() {
		assertThatException().isThrownBy(() -> render(List.of(), "replicas", 3)).withMessageContaining("replicas");
	}

	@ParameterizedTest
	@MethodSource("everyValueSet")
	void templateWhenRenderedThenEveryManifestReadsStrictlyIntoTheKubernetesModel(List<Path> valuesFiles) {
		Manifests manifests = render(valuesFiles);
		assertThat(manifests.documents()).hasSizeGreaterThanOrEqualTo(5)
			.allSatisfy((document) -> assertThat(KubernetesModel.read(document)).isNotNull());
	}

	@Test
	void templateWhenEveryOptionOnThenEveryTemplateRenders() {
		Manifests manifests = render(List.of(ALL_FEATURES_VALUES));
		assertThat(manifests.documents()).extracting((document) -> document.get("kind"))
			.containsExactlyInAnyOrder("ServiceAccount", "Secret", "ConfigMap", "Service", "Deployment",
					"HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "ServiceMonitor", "Ingress");
	}

	@Test
	void modelWhenManifestHasUnknownPropertyThenFails() {
		Map<String, Object> deployment = render(List.of()).one("Deployment");
		Map<String, Object> container = get(deployment, "spec", "template", "spec", "containers", 0);
		container.put("livenessProbes", container.get("livenessProbe"));
		assertThatException().isThrownBy(() -> KubernetesModel.read(deployment))
			.withMessageContaining("livenessProbes");
	}

	@Test
	void modelWhenValueHasWrongTypeThenFails() {
		Map<String, Object> service = render(List.of()).one("Service");
		Map<String, Object> port = get(service, "spec", "ports", 0);
		port.put("port", "8080");
		assertThatThrownBy(() -> KubernetesModel.read(service)).hasMessageContaining("v1/Service written back");
	}

	@Test
	void templateWhenNetworkPolicyEnabledThenManagementPortOnlyFromNamespaceAndPrometheus() {
		NetworkPolicy policy = KubernetesModel.read(render(PRODUCTION).one("NetworkPolicy"), NetworkPolicy.class);
		assertThat(policy.getSpec().getPodSelector().getMatchLabels())
			.isEqualTo(Map.of("app.kubernetes.io/name", "qoder-events", "app.kubernetes.io/instance", "qoder-events"));
		assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
		List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
		assertThat(rules).hasSize(2);
		assertThat(rules.get(0).getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getPort()).isEqualTo(new IntOrString("http")));
		assertThat(rules.get(0).getFrom()).isEmpty();
		assertThat(rules.get(1).getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getPort()).isEqualTo(new IntOrString("management")));
		List<NetworkPolicyPeer> peers = rules.get(1).getFrom();
		assertThat(peers).hasSize(2);
		assertThat(peers.get(0).getPodSelector()).isEqualTo(new LabelSelector());
		assertThat(peers.get(0).getNamespaceSelector()).isNull();
		assertThat(peers.get(1).getNamespaceSelector().getMatchLabels())
			.isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
		assertThat(peers.get(1).getPodSelector().getMatchLabels())
			.isEqualTo(Map.of("app.kubernetes.io/name", "prometheus"));
	}

	@Test
	void templateWhenNetworkPolicyApiFromGivenThenApiPortOnlyFromThem() {
		NetworkPolicy policy = KubernetesModel.read(render(List.of(ALL_FEATURES_VALUES)).one("NetworkPolicy"),
				NetworkPolicy.class);
		List<NetworkPolicyPeer> apiPeers = policy.getSpec().getIngress().get(0).getFrom();
		assertThat(apiPeers).hasSize(2);
		assertThat(apiPeers.get(1).getIpBlock().getCidr()).isEqualTo("10.0.0.0/8");
	}

	@Test
	void templateWhenNetworkPolicyDisabledThenNone() {
		assertThat(render(List.of()).all("NetworkPolicy")).isEmpty();
	}

	@Test
	void templateWhenNetworkPolicyPeerHasUnknownFieldThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(() -> render(List.of(), "networkPolicy.managementFrom[0].namespace", "monitoring"))
			.withMessageContaining("managementFrom");
	}

	@Test
	void templateWhenProductionExampleKeepsItsKeyPlaceholdersThenSchemaRejectsIt() {
		assertThatException().isThrownBy(() -> render(List.of(PRODUCTION_VALUES))).withMessageContaining("sha256");
	}

	@Test
	void templateWhenClearApiKeyShorterThan32ThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(() -> render(List.of(), "apiKeys[0].name", "ops", "apiKeys[0].role", "admin",
					"apiKeys[0].value", "test2"))
			.withMessageContaining("value");
	}

	@Test
	void templateWhenPrometheusRuleEnabledThenAlertsOnBehindRejectedTokenAndFailingSessions() {
		Manifests manifests = render(List.of(), "prometheusRule.enabled", true, "prometheusRule.behindSeconds", 300,
				"prometheusRule.labels.release", "kube-prometheus");
		Map<String, Object> rule = manifests.one("PrometheusRule");
		assertThat(value(rule, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(value(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus");
		List<Map<String, Object>> rules = get(rule, "spec", "groups", 0, "rules");
		assertThat(rules).extracting((alert) -> alert.get("alert"))
			.containsExactly("QoderIngestionBehind", "QoderUpstreamTokenRejected", "QoderSessionsFailing",
					"QoderBudgetWarning", "QoderBudgetExceeded");
		assertThat((String) rules.get(0).get("expr"))
			.isEqualTo("max(qoder_ingestion_behind_seconds{namespace=\"qoder\"}) > 300");
		assertThat((String) rules.get(1).get("expr")).contains("status=\"401\"");
		assertThat((String) rules.get(2).get("expr")).contains("state=\"failing\"").endsWith("> 0");
		assertThat(value(rules.get(0), "annotations", "description").toString())
			.contains("{{ $value | humanizeDuration }}");
		assertThat(value(manifests.one("ConfigMap"), "data", "QODER_INGEST_SWEEPINTERVAL")).isEqualTo("30s");
	}

	@Test
	void templateWhenPrometheusRuleEnabledThenBudgetAlertsCompareSpendWithWarnShareAndLimit() {
		List<Map<String, Object>> rules = get(render(List.of(), "prometheusRule.enabled", true).one("PrometheusRule"),
				"spec", "groups", 0, "rules");
		Map<String, Object> warning = rules.get(3);
		Map<String, Object> exceeded = rules.get(4);
		assertThat(warning.get("alert")).isEqualTo("QoderBudgetWarning");
		assertThat(((String) warning.get("expr")).replaceAll("\\s+", " ")).isEqualTo(
				"max by (budget) (qoder_budget_spend{namespace=\"qoder\"}) >= max by (budget) (qoder_budget_limit{namespace=\"qoder\"} * qoder_budget_warn_at{namespace=\"qoder\"}) unless max by (budget) (qoder_budget_spend{namespace=\"qoder\"}) >= max by (budget) (qoder_budget_limit{namespace=\"qoder\"})");
		assertThat(value(warning, "labels", "severity")).isEqualTo("warning");
		assertThat(exceeded.get("alert")).isEqualTo("QoderBudgetExceeded");
		assertThat(((String) exceeded.get("expr")).replaceAll("\\s+", " ")).isEqualTo(
				"max by (budget) (qoder_budget_spend{namespace=\"qoder\"}) >= max by (budget) (qoder_budget_limit{namespace=\"qoder\"})");
		assertThat(value(exceeded, "labels", "severity")).isEqualTo("critical");
		assertThat(value(exceeded, "annotations", "description").toString()).contains("{{ $labels.budget }}");
	}

	@Test
	void templateWhenVerifyFullWithoutCaThenDriverTrustsTheJvmTrustStore() {
		Manifests manifests = render(List.of(), "database.sslmode", "verify-full");
		assertThat(value(manifests.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL")).isEqualTo(
				"jdbc:postgresql://postgres:5432/qoder_events?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
		assertThat(volumeNames(manifests)).containsExactly("tmp");
	}

	@Test
	void templateWhenSslmodeDoesNotVerifyThenDefaultFactory() {
		assertThat(value(render(List.of(), "database.sslmode", "require").one("ConfigMap"), "data",
				"SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://postgres:5432/qoder_events?sslmode=require");
	}

	@Test
	void templateWhenCaCertificateFromSecretThenMountedReadOnlyAndGivenAsSslrootcert() {
		Manifests manifests = render(List.of(), "database.sslmode", "verify-full", "database.caCertificate.secretName",
				"database-ca", "database.caCertificate.key", "root.pem");
		assertThat(value(manifests.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://postgres:5432/qoder_events?sslmode=verify-full&sslrootcert=" + CA_DIRECTORY
					+ "/root.pem");
		Map<String, Object> volume = get(manifests.one("Deployment"), "spec", "template", "spec", "volumes", 1);
		assertThat(volume).isEqualTo(Map.of("name", "database-ca", "secret",
				Map.of("secretName", "database-ca", "items", List.of(Map.of("key", "root.pem", "path", "root.pem")))));
		assertThat(value(container(manifests), "volumeMounts", 1))
			.isEqualTo(Map.of("name", "database-ca", "mountPath", CA_DIRECTORY, "readOnly", true));
	}

	@Test
	void templateWhenProductionValuesThenCaComesFromConfigMap() {
		Manifests manifests = render(PRODUCTION);
		Map<String, Object> volume = get(manifests.one("Deployment"), "spec", "template", "spec", "volumes", 1);
		assertThat(volume).isEqualTo(Map.of("name", "database-ca", "configMap", Map.of("name",
				"qoder-events-database-ca", "items", List.of(Map.of("key", "ca.crt", "path", "ca.crt")))));
		assertThat(value(container(manifests), "image")).isEqualTo("registry.example.com/platform/qoder-events:0.1.0");
	}

	@Test
	void templateWhenDatabaseUrlAndCaCertificateGivenThenSslrootcertAppended() {
		Manifests withQuery = render(List.of(), "database.url", "jdbc:postgresql://db:6432/events?sslmode=verify-ca",
				"database.caCertificate.configMapName", "ca");
		assertThat(value(withQuery.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://db:6432/events?sslmode=verify-ca&sslrootcert=" + CA_DIRECTORY + "/ca.crt");
		Manifests withoutQuery = render(List.of(), "database.url", "jdbc:postgresql://db:6432/events",
				"database.caCertificate.configMapName", "ca");
		assertThat(value(withoutQuery.one("ConfigMap"), "data", "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://db:6432/events?sslrootcert=" + CA_DIRECTORY + "/ca.crt");
	}

	@Test
	void templateWhenCaCertificateNamesSecretAndConfigMapThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(() -> render(List.of(), "database.caCertificate.secretName", "a",
					"database.caCertificate.configMapName", "b"))
			.withMessageContaining("caCertificate");
	}

	@Test
	void templateWhenExtraVolumesMountsAndEnvGivenThenContainerHasThem() {
		Manifests manifests = render(List.of(ALL_FEATURES_VALUES));
		assertThat(volumeNames(manifests)).containsExactly("tmp", "database-ca", "client-certificate");
		List<Map<String, Object>> mounts = get(container(manifests), "volumeMounts");
		assertThat(mounts).contains(Map.of("name", "client-certificate", "mountPath",
				"/etc/qoder-events/database-client", "readOnly", true));
		List<Map<String, Object>> env = get(container(manifests), "env");
		assertThat(env).contains(Map.of("name", "QODER_INGEST_DISCOVERY", "value", "true"));
		assertThat(value(container(manifests), "envFrom", 1))
			.isEqualTo(Map.of("secretRef", Map.of("name", "more-api-keys")));
	}

	@Test
	void templateWhenJvmOptionsGivenThenAppendedToTheHeapShare() {
		Manifests manifests = render(List.of(), "jvm.maxRamPercentage", 60, "jvm.options", "-XX:+UseG1GC");
		assertThat(value(manifests.one("ConfigMap"), "data", "JAVA_TOOL_OPTIONS"))
			.isEqualTo("-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC");
	}

	@Test
	void templateWhenIngressEnabledThenRoutesWebhookAndApiToTheApiPort() {
		Ingress ingress = KubernetesModel.read(render(List.of(ALL_FEATURES_VALUES)).one("Ingress"), Ingress.class);
		assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
		assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-body-size",
				"1m");
		assertThat(ingress.getSpec().getTls()).singleElement().satisfies((tls) -> {
			assertThat(tls.getSecretName()).isEqualTo("qoder-events-tls");
			assertThat(tls.getHosts()).containsExactly("qoder-events.example.com");
		});
		IngressRule rule = ingress.getSpec().getRules().get(0);
		assertThat(rule.getHost()).isEqualTo("qoder-events.example.com");
		assertThat(rule.getHttp().getPaths()).extracting((path) -> path.getPathType() + " " + path.getPath())
			.containsExactly("Exact /api/v1/webhooks/qoder", "Prefix /api");
		assertThat(rule.getHttp().getPaths()).allSatisfy((path) -> {
			assertThat(path.getBackend().getService().getName()).isEqualTo("qoder-events");
			assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
		});
	}

	@Test
	void templateWhenIngressForTheWebhookAloneThenOnlyItsPath() {
		Ingress ingress = KubernetesModel
			.read(render(List.of(), "ingress.enabled", true, "ingress.api", false).one("Ingress"), Ingress.class);
		IngressRule rule = ingress.getSpec().getRules().get(0);
		assertThat(rule.getHost()).isNull();
		assertThat(rule.getHttp().getPaths()).singleElement()
			.satisfies((path) -> assertThat(path.getPath()).isEqualTo("/api/v1/webhooks/qoder"));
		assertThat(ingress.getSpec().getTls()).isEmpty();
	}

	@Test
	void templateWhenIngressHasNoPathThenSchemaRejectsIt() {
		assertThatException()
			.isThrownBy(
					() -> render(List.of(), "ingress.enabled", true, "ingress.api", false, "ingress.webhook", false))
			.withMessageContaining("ingress");
	}

	@ParameterizedTest
	@MethodSource("valueSets")
	void templateWhenIngressNotEnabledThenNone(List<Path> valuesFiles) {
		assertThat(render(valuesFiles).all("Ingress")).isEmpty();
	}

	@Test
	void templateWhenNetworkPolicyWebhookFromGivenThenApiPortAlsoFromThem() {
		NetworkPolicy policy = KubernetesModel.read(render(List.of(ALL_FEATURES_VALUES)).one("NetworkPolicy"),
				NetworkPolicy.class);
		List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
		assertThat(rules).hasSize(3);
		assertThat(rules.get(1).getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getPort()).isEqualTo(new IntOrString("http")));
		assertThat(rules.get(1).getFrom()).singleElement()
			.satisfies((peer) -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("203.0.113.0/24"));
		assertThat(rules.get(2).getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getPort()).isEqualTo(new IntOrString("management")));
	}

	private static Manifests render(List<Path> valuesFiles, Object... keysAndValues) {
		TemplateCommand template = new Helm(CHART).template().withName("qoder-events").withNamespace("qoder");
		template.withValuesFile(IMAGE_VALUES);
		valuesFiles.forEach(template::withValuesFile);
		for (int i = 0; i < keysAndValues.length; i += 2) {
			template.set((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return Manifests.parse(template.call());
	}

	private static Path chartWithValues(Path directory, List<Path> valuesFiles) {
		try {
			Path chart = directory.resolve("qoder-events");
			FileSystemUtils.copyRecursively(CHART, chart);
			Yaml yaml = new Yaml();
			Map<String, Object> values = yaml.load(Files.readString(CHART.resolve("values.yaml")));
			for (Path valuesFile : valuesFiles) {
				merge(values, yaml.load(Files.readString(valuesFile)));
			}
			Files.writeString(chart.resolve("values.yaml"), yaml.dump(values));
			return chart;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static void merge(Map<String, Object> target, Map<String, Object> source) {
		source.forEach((key, value) -> {
			if (value instanceof Map && target.get(key) instanceof Map) {
				merge((Map<String, Object>) target.get(key), (Map<String, Object>) value);
			}
			else {
				target.put(key, value);
			}
		});
	}

	private static Map<String, Object> container(Manifests manifests) {
		return get(manifests.one("Deployment"), "spec", "template", "spec", "containers", 0);
	}

	private static List<Object> volumeNames(Manifests manifests) {
		List<Map<String, Object>> volumes = get(manifests.one("Deployment"), "spec", "template", "spec", "volumes");
		return volumes.stream().map((volume) -> volume.get("name")).toList();
	}

	private static Map<String, Object> httpGet(String path) {
		return Map.of("path", path, "port", "management");
	}

	private static Map<String, Map<String, Object>> secretEnv(Map<String, Object> container) {
		List<Map<String, Object>> env = get(container, "env");
		Map<String, Map<String, Object>> refs = new LinkedHashMap<>();
		for (Map<String, Object> variable : env) {
			if (variable.get("valueFrom") != null) {
				Map<String, Object> ref = get(variable, "valueFrom", "secretKeyRef");
				assertThat(ref).containsEntry("key", variable.get("name"));
				refs.put((String) variable.get("name"), ref);
			}
		}
		return refs;
	}

	private static Object value(Object node, Object... path) {
		return get(node, path);
	}

	@SuppressWarnings("unchecked")
	private static <T> T get(Object node, Object... path) {
		Object current = node;
		for (Object step : path) {
			assertThat(current).as("parent of %s in %s", step, Arrays.toString(path)).isNotNull();
			current = (step instanceof Integer index) ? ((List<Object>) current).get(index)
					: ((Map<String, Object>) current).get(step);
		}
		return (T) current;
	}

	private record Manifests(List<Map<String, Object>> documents) {

		@SuppressWarnings("unchecked")
		static Manifests parse(String rendered) {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (Object document : new Yaml().loadAll(rendered)) {
				if (document != null) {
					documents.add((Map<String, Object>) document);
				}
			}
			return new Manifests(documents);
		}

		List<Map<String, Object>> all(String kind) {
			return this.documents.stream().filter((document) -> kind.equals(document.get("kind"))).toList();
		}

		Map<String, Object> one(String kind) {
			List<Map<String, Object>> matches = all(kind);
			assertThat(matches).as("documents of kind %s", kind).hasSize(1);
			return matches.get(0);
		}

	}

}
