package io.qoderevents.deploy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads rendered manifests strictly into fabric8's typed Kubernetes model: a property the
 * model does not know fails (fabric8 would otherwise keep it in
 * {@code additionalProperties}), and the typed object must write back to the same
 * document, so nothing was dropped or coerced on the way.
 */
final class KubernetesModel {

	private static final Map<String, Class<?>> TYPES = Map.of("v1/ConfigMap", ConfigMap.class, "v1/Secret",
			Secret.class, "v1/Service", Service.class, "v1/ServiceAccount", ServiceAccount.class, "apps/v1/Deployment",
			Deployment.class, "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
			"policy/v1/PodDisruptionBudget", PodDisruptionBudget.class, "networking.k8s.io/v1/NetworkPolicy",
			NetworkPolicy.class, "networking.k8s.io/v1/Ingress", Ingress.class,
			"monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

	private static final JsonMapper STRICT = JsonMapper.builder()
		.annotationIntrospector(new NoAnySetter())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private KubernetesModel() {
	}

	/** The document as its typed object; fails on anything the model does not hold. */
	static Object read(Map<String, Object> document) {
		String type = document.get("apiVersion") + "/" + document.get("kind");
		Class<?> model = TYPES.get(type);
		assertThat(model).as("a typed model for %s", type).isNotNull();
		Object object = STRICT.convertValue(document, model);
		assertThat(asJson(object)).as("%s written back", type).isEqualTo(asJson(document));
		return object;
	}

	/** Reads the document as one of the given type. */
	static <T> T read(Map<String, Object> document, Class<T> type) {
		return type.cast(read(document));
	}

	private static Object asJson(Object value) {
		return STRICT.readValue(STRICT.writeValueAsString(value), Object.class);
	}

	private static final class NoAnySetter extends JacksonAnnotationIntrospector {

		@Override
		public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
			return Boolean.FALSE;
		}

	}

	/**
	 * {@code monitoring.coreos.com/v1} ServiceMonitor of the Prometheus Operator (a
	 * custom resource fabric8's Kubernetes model lacks): the fields of its CRD that a
	 * chart sets.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Spec(LabelSelector selector, NamespaceSelector namespaceSelector, String jobLabel,
				List<String> targetLabels, List<String> podTargetLabels, Long sampleLimit, List<Endpoint> endpoints) {
		}

		@JsonInclude(JsonInclude.Include.NON_NULL)
		record NamespaceSelector(Boolean any, List<String> matchNames) {
		}

		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Endpoint(String port, IntOrString targetPort, String path, String scheme, String interval,
				String scrapeTimeout, Boolean honorLabels, Boolean honorTimestamps, Map<String, List<String>> params,
				List<Map<String, Object>> relabelings, List<Map<String, Object>> metricRelabelings) {
		}

	}

}
