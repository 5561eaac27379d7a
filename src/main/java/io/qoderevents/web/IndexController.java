package io.qoderevents.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.qoderevents.config.QoderProperties;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: what this service is and where its API, its description and its
 * management port are, without a key; a browser asking for HTML gets the console.
 */
@Hidden
@RestController
class IndexController {

	/** The console's page, served for a browser's {@code /}. */
	private static final Resource CONSOLE = new ClassPathResource("static/console/index.html");

	private final QoderProperties properties;

	private final ObjectProvider<BuildProperties> build;

	private final Environment environment;

	IndexController(QoderProperties properties, ObjectProvider<BuildProperties> build, Environment environment) {
		this.properties = properties;
		this.build = build;
		this.environment = environment;
	}

	@GetMapping("/")
	ResponseEntity<Object> index(HttpServletRequest request) {
		if (wantsHtml(request.getHeader(HttpHeaders.ACCEPT))) {
			return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(CONSOLE);
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(jsonIndex(request));
	}

	/**
	 * Whether the client names {@code text/html} and prefers it to JSON, as a browser
	 * does; {@code *}{@code /*} alone keeps the JSON index.
	 */
	static boolean wantsHtml(String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		double html = 0;
		double json = 0;
		try {
			for (MediaType type : MediaType.parseMediaTypes(accept)) {
				if (type.getType().equals("text") && type.getSubtype().equals("html")) {
					html = Math.max(html, type.getQualityValue());
				}
				else if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()) {
					json = Math.max(json, type.getQualityValue());
				}
			}
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		return html > 0 && html >= json;
	}

	private Index jsonIndex(HttpServletRequest request) {
		BuildProperties properties = this.build.getIfAvailable();
		Map<String, String> api = new LinkedHashMap<>();
		api.put("tracked_sessions", "/api/v1/tracked-sessions");
		api.put("events", "/api/v1/events");
		api.put("session_events", "/api/v1/sessions/{session_id}/events");
		api.put("session_usage", "/api/v1/sessions/{session_id}/usage");
		api.put("usage", "/api/v1/usage");
		api.put("errors", "/api/v1/errors");
		api.put("session_errors", "/api/v1/sessions/{session_id}/errors");
		api.put("ingestion", "/api/v1/ingestion");
		String management = managementUrl(this.environment, request);
		return new Index("qoder-events", (properties != null) ? properties.getVersion() : "dev",
				"Qoder Cloud Agents session events, usage and error reports", api, "/v3/api-docs", "/swagger-ui.html",
				this.properties.api().auth().enabled() ? "Authorization: Bearer <api key> on /api/**" : "off",
				Map.of("health", management + "/health", "prometheus", management + "/prometheus", "info",
						management + "/info"));
	}

	/**
	 * The actuator base URL on the management port, on the host the caller reached.
	 */
	static String managementUrl(Environment environment, HttpServletRequest request) {
		String port = environment.getProperty("local.management.port",
				environment.getProperty("management.server.port", "8081"));
		return request.getScheme() + "://" + request.getServerName() + ":" + port + "/actuator";
	}

	/**
	 * The index.
	 *
	 * @param service the service's name
	 * @param version its version
	 * @param description what it serves
	 * @param api the API's endpoints
	 * @param apiDocs the OpenAPI description
	 * @param swaggerUi the browsable description
	 * @param authentication how to authenticate on {@code /api/**}, or {@code off}
	 * @param management the actuator endpoints on the management port
	 */
	record Index(String service, String version, String description, Map<String, String> api, String apiDocs,
			String swaggerUi, String authentication, Map<String, String> management) {
	}

}
