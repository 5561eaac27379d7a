package io.qoderevents.demo;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(SimulatedQoderController.class)
@AutoConfigureMockMvc(addFilters = false)
@ActiveProfiles("demo")
class SimulatedQoderControllerTests {

	private static final String SESSION = "sess_019e392c0d1e74e095d21ea4c6b41def";

	private static final String FIRST = "{ \"id\":\"evt_b\", \"type\":\"x\", \"t\":\"\u00e9\" }";

	private static final String EVENTS = "/demo/upstream/api/v1/cloud/sessions/" + SESSION + "/events";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private SimulatedQoder qoder;

	@Test
	void eventsWhenAuthorizedThenWritesTheBodyVerbatim() {
		this.qoder.reset();
		this.qoder.createSession(SESSION);
		this.qoder.appendAll(SESSION, List.of(FIRST, "{\"id\":\"evt_a\"}"));
		MvcTestResult result = this.mvc.get()
			.uri(EVENTS + "?limit=1&after_id=evt_b")
			.header("Authorization", "Bearer t")
			.exchange();
		assertThat(result).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.bodyText()
			.startsWith("{\"data\":[{\"id\":\"evt_a\"}],");
		assertThat(result.getResponse().getHeader("x-request-id")).matches("req_[0-9a-f]{24}");
		assertThat(this.mvc.get().uri(EVENTS).header("Authorization", "Bearer t")).hasStatusOk()
			.bodyText()
			.startsWith("{\"data\":[" + FIRST + ",{\"id\":\"evt_a\"}]");
		assertThat(this.qoder.requestLog()).contains("/sessions/" + SESSION + "/events?limit=1&after_id=evt_b");
	}

	@Test
	void eventsWhenFaultInjectedThenWritesItsStatusHeadersAndBody() {
		this.qoder.reset();
		this.qoder.failNext(null, 1, 429, Map.of("Retry-After", "2"), null);
		this.qoder.failNext(null, 1, 503, null, null);
		assertThat(this.mvc.get().uri(EVENTS)).hasStatus(429).hasHeader("Retry-After", "2").bodyText().isEmpty();
		assertThat(this.mvc.get().uri(EVENTS)).hasStatus(503).bodyText().isEmpty();
		assertThat(this.mvc.get().uri(EVENTS)).hasStatus(401)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.bodyJson()
			.extractingPath("$.error.type")
			.isEqualTo("authentication_error");
	}

	@Test
	void sessionsWhenAuthorizedThenListsThem() {
		this.qoder.reset();
		this.qoder.createSession(SESSION);
		assertThat(this.mvc.get().uri("/demo/upstream/api/v1/cloud/sessions").header("Authorization", "Bearer t"))
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.data[0].id")
			.isEqualTo(SESSION);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Upstream {

		@Bean
		SimulatedQoder simulatedQoder() {
			return new SimulatedQoder("t", Clock.systemUTC());
		}

	}

}
