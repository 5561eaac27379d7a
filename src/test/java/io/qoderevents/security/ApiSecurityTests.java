package io.qoderevents.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.webhooks.WebhookSignatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestPropertySource(properties = { "qoder.api.auth.enabled=true", "qoder.api.auth.keys[0].name=dashboards",
		"qoder.api.auth.keys[0].value=read-key-1", "qoder.api.auth.keys[0].role=read",
		"qoder.api.auth.keys[1].name=ops",
		// SHA-256 of "admin-key-1"
		"qoder.api.auth.keys[1].sha256=" + ApiSecurityTests.ADMIN_KEY_SHA256, "qoder.api.auth.keys[1].role=admin",
		"qoder.upstream.token=" + ApiSecurityTests.TOKEN,
		"qoder.api.cors.allowed-origins=" + ApiSecurityTests.DASHBOARD })
@ExtendWith(OutputCaptureExtension.class)
class ApiSecurityTests extends IntegrationTest {

	static final String TOKEN = "pt-do-not-leak-4b1d";

	static final String DASHBOARD = "https://dash.example.com";

	static final String ADMIN_KEY_SHA256 = "81d5958ea2799a62716f71aa7e3c2f275f31e9d8a1908e785838a10b00fbaa4c";

	@Value("${local.management.port}")
	private int managementPort;

	@Value("${qoder.webhooks.secret}")
	private String webhookSecret;

	@Autowired
	private TrackingService tracking;

	@Test
	void requestWhenNoKeyThen401Problem() {
		Response response = this.api.getRaw("/api/v1/tracked-sessions");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body()).contains("\"status\":401");
		assertThat(response.headers().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
		JsonNode problem = Api.JSON.readTree(response.body());
		assertThat(problem.propertyNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
		assertThat(response.body()).doesNotContain("null");
		Response forbidden = this.api.exchange(HttpMethod.DELETE, "/api/v1/tracked-sessions/" + TestEvents.sessionId(),
				null, "Authorization", "Bearer read-key-1");
		assertThat(Api.JSON.readTree(forbidden.body()).propertyNames()).containsExactlyInAnyOrder("type", "title",
				"status", "detail");
	}

	@Test
	void frontDoorWhenNoKeyThenIndexAndActuatorHintAnswer() {
		JsonNode index = Api.json(this.api.getRaw("/"));
		assertThat(index.get("authentication").asString()).contains("Bearer");
		assertThat(this.api.getRaw("/actuator").status()).isEqualTo(404);
		assertThat(this.api.getRaw("/actuator").body()).contains(":" + this.managementPort + "/actuator");
		assertThat(this.api.getRaw("/api/v1/events?sessionid=x").status()).isEqualTo(401);
	}

	@Test
	void preflightWhenOriginAllowedThenAnsweredWithoutKeyAndRequestsStillNeedOne() {
		Response preflight = this.api.exchange(HttpMethod.OPTIONS, "/api/v1/tracked-sessions", null, "Origin",
				DASHBOARD, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
				"authorization,content-type");
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.headers().getAccessControlAllowOrigin()).isEqualTo(DASHBOARD);
		assertThat(preflight.headers().getAccessControlAllowMethods()).contains(HttpMethod.POST, HttpMethod.GET);
		assertThat(preflight.headers().getAccessControlAllowHeaders()).contains("authorization", "content-type");
		Response read = this.api.getRaw("/api/v1/tracked-sessions", "Origin", DASHBOARD, "Authorization",
				"Bearer read-key-1");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.headers().getAccessControlAllowOrigin()).isEqualTo(DASHBOARD);
		Response withoutKey = this.api.getRaw("/api/v1/tracked-sessions", "Origin", DASHBOARD);
		assertThat(withoutKey.status()).isEqualTo(401);
	}

	@Test
	void preflightWhenOriginNotAllowedThen403ProblemWithoutCorsHeaders() {
		Response preflight = this.api.exchange(HttpMethod.OPTIONS, "/api/v1/tracked-sessions", null, "Origin",
				"https://evil.example.com", "Access-Control-Request-Method", "GET");
		assertThat(preflight.status()).isEqualTo(403);
		assertThat(preflight.contentType()).startsWith("application/problem+json");
		assertThat(preflight.headers().getAccessControlAllowOrigin()).isNull();
		Response read = this.api.getRaw("/api/v1/tracked-sessions", "Origin", "https://evil.example.com",
				"Authorization", "Bearer read-key-1");
		assertThat(read.status()).isEqualTo(403);
		assertThat(read.headers().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void requestWhenWrongKeyThen401Problem() {
		assertThat(this.api.getRaw("/api/v1/tracked-sessions", "Authorization", "Bearer nope").status()).isEqualTo(401);
		assertThat(this.api.getRaw("/api/v1/tracked-sessions", "Authorization", "Basic cmVhZC1rZXktMQ==").status())
			.isEqualTo(401);
	}

	@Test
	void readWhenReadKeyThenAllowedButMutationForbidden() {
		assertThat(this.api.getRaw("/api/v1/tracked-sessions", "Authorization", "Bearer read-key-1").status())
			.isEqualTo(200);
		Response mutation = this.api.post("/api/v1/tracked-sessions",
				"{\"session_id\":\"" + TestEvents.sessionId() + "\"}", "Authorization", "Bearer read-key-1",
				"Content-Type", "application/json");
		assertThat(mutation.status()).isEqualTo(403);
		assertThat(mutation.contentType()).startsWith("application/problem+json");
		assertThat(this.jdbc.sql("select count(*) from tracked_session").query(Long.class).single()).isZero();
	}

	@Test
	void mutateWhenAdminKeyGivenAsHashThenAllowed() {
		String session = TestEvents.sessionId();
		Response created = this.api.post("/api/v1/tracked-sessions", "{\"session_id\":\"" + session + "\"}",
				"Authorization", "Bearer admin-key-1", "Content-Type", "application/json");
		assertThat(created.status()).isEqualTo(201);
		assertThat(this.api
			.exchange(HttpMethod.POST, "/api/v1/tracked-sessions/" + session + "/sync", null, "Authorization",
					"Bearer admin-key-1")
			.status()).isEqualTo(202);
		assertThat(this.api
			.exchange(HttpMethod.DELETE, "/api/v1/tracked-sessions/" + session, null, "Authorization",
					"Bearer read-key-1")
			.status()).isEqualTo(403);
		assertThat(this.api
			.exchange(HttpMethod.DELETE, "/api/v1/tracked-sessions/" + session, null, "Authorization",
					"Bearer admin-key-1")
			.status()).isEqualTo(204);
	}

	@Test
	void webhookWhenNoKeyThenItsSignatureAuthenticatesIt() {
		Response unsigned = this.api.post("/api/v1/webhooks/qoder", "{}", "Content-Type", "application/json");
		assertThat(unsigned.status()).isEqualTo(401);
		assertThat(unsigned.body()).contains("webhook-signature").doesNotContain("API key");
		assertThat(unsigned.headers().getFirst("WWW-Authenticate")).isNull();
		long now = Instant.now().getEpochSecond();
		String body = "{\"type\":\"event\",\"data\":{\"type\":\"session\",\"id\":\"" + TestEvents.sessionId() + "\"}}";
		Response signed = this.api.post("/api/v1/webhooks/qoder", body, "Content-Type", "application/json",
				"webhook-id", "whe_security", "webhook-timestamp", Long.toString(now), "webhook-signature",
				WebhookSignatures.sign(this.webhookSecret, "whe_security", now, body.getBytes(StandardCharsets.UTF_8)),
				"webhook-event-type", "session.status_idled");
		assertThat(signed.status()).isEqualTo(202);
		Api management = new Api(this.managementPort);
		String key = this.webhookSecret.substring("whsec_".length());
		for (String path : new String[] { "/actuator/env", "/actuator/configprops" }) {
			assertThat(management.getRaw(path).body()).as(path).doesNotContain(key);
		}
	}

	@Test
	void probesWhenNoKeyThenOpenOnManagementPort() {
		Api management = new Api(this.managementPort);
		assertThat(management.getRaw("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(management.getRaw("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(management.getRaw("/actuator/prometheus").body()).contains("qoder_");
		assertThat(this.api.getRaw("/actuator/prometheus").status()).isEqualTo(404);
	}

	@Test
	void tokenWhenUpstreamRejectsItThenNeverInLogsBodiesOrActuator(CapturedOutput output) {
		// the simulator only accepts its demo token, so every poll fails with 401 and is
		// logged
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.tracking.track(session);
		syncNow(session);
		this.client.resume();
		Response tracked = this.api.getRaw("/api/v1/tracked-sessions/" + session, "Authorization", "Bearer read-key-1");
		assertThat(tracked.body()).contains("authentication_error").doesNotContain(TOKEN);
		Api management = new Api(this.managementPort);
		for (String path : new String[] { "/actuator/env", "/actuator/configprops", "/actuator/health",
				"/actuator/info", "/actuator/prometheus" }) {
			assertThat(management.getRaw(path).body()).as(path).doesNotContain(TOKEN);
		}
		assertThat(management.getRaw("/actuator/health").body()).contains("\"upstream\"")
			.contains("authentication_error");
		assertThat(output.getAll()).contains(session).doesNotContain(TOKEN);
	}

	@Test
	void startWhenAuthEnabledWithoutKeysOutsideDemoThenRefusesToStartSayingWhatToSet(CapturedOutput output) {
		assertThatThrownBy(() -> startOutsideDemo(Map.of())).hasStackTraceContaining("API keys are required");
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("qoder.api.auth.keys")
			.contains("QODER_API_AUTH_KEYS_0_VALUE")
			.contains("QODER_API_AUTH_ENABLED=false");
		try (ConfigurableApplicationContext context = startOutsideDemo(Map.of("qoder.api.auth.enabled", "false"))) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	@Test
	void startWhenClearKeyShorterThan32OutsideDemoThenRefusesToStart() {
		assertThatThrownBy(() -> startOutsideDemo(Map.of("qoder.api.auth.keys[0].name", "ops",
				"qoder.api.auth.keys[0].value", "read-key-1", "qoder.api.auth.keys[0].role", "admin")))
			.hasStackTraceContaining("API key 'ops' is 10 characters long; keys need at least 32");
	}

}
