package io.qoderevents.events;

import java.time.Instant;
import java.util.List;

import io.qoderevents.tracking.NoSuchSessionException;
import io.qoderevents.web.ListResponse;
import io.qoderevents.web.MvcProblems;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

@WebMvcTest(EventController.class)
@AutoConfigureMockMvc(addFilters = false)
class EventControllerTests {

	private static final String SESSION = "sess_019e392c0d1e74e095d21ea4c6b41def";

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private EventService events;

	@Test
	void listWhenEventsThenSnakeCaseEnvelopeWithRawPayload() {
		EventResponse event = new EventResponse("evt_1", SESSION, 1, "user.message", null, null,
				"2026-05-18T03:40:48.888851795Z", null, Instant.parse("2026-05-18T03:40:48.888851Z"),
				Instant.parse("2026-11-26T10:05:00.123Z"), "{\"id\": \"evt_1\", \"n\": 2.50}");
		given(this.events.list(any(), eq(100), eq(null))).willReturn(new ListResponse<>(List.of(event), "next"));
		assertThat(this.mvc.get().uri("/api/v1/events")).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.bodyText()
			.isEqualTo("{\"data\":[{\"id\":\"evt_1\",\"session_id\":\"" + SESSION + "\",\"sequence\":1,"
					+ "\"type\":\"user.message\",\"turn_id\":null,\"session_thread_id\":null,"
					+ "\"created_at\":\"2026-05-18T03:40:48.888851795Z\",\"processed_at\":null,"
					+ "\"event_time\":\"2026-05-18T03:40:48.888851Z\",\"ingested_at\":\"2026-11-26T10:05:00.123Z\","
					+ "\"payload\":{\"id\": \"evt_1\", \"n\": 2.50}}],\"next_cursor\":\"next\"}");
	}

	@Test
	void listWhenFiltersGivenThenPassedToServiceParsed() {
		given(this.events.list(any(), anyInt(), any())).willReturn(new ListResponse<>(List.of(), null));
		assertThat(this.mvc.get()
			.uri("/api/v1/events?session_id=" + SESSION + "&type=a&type=b&turn_id=turn_1&limit=5&cursor=c")
			.param("since", "2026-05-18T08:00:00+08:00")).hasStatusOk();
		ArgumentCaptor<EventFilter> filter = ArgumentCaptor.forClass(EventFilter.class);
		then(this.events).should().list(filter.capture(), eq(5), eq("c"));
		assertThat(filter.getValue().session()).isNull();
		assertThat(filter.getValue().sessionIds()).containsExactly(SESSION);
		assertThat(filter.getValue().types()).containsExactly("a", "b");
		assertThat(filter.getValue().turnId()).isEqualTo("turn_1");
		assertThat(filter.getValue().range().since()).hasToString("2026-05-18T00:00Z");
		assertThat(filter.getValue().range().until()).isNull();
	}

	@Test
	void listWhenParametersInvalidThen400NamingEachWithoutCallingService() {
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?limit=0", "limit");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?limit=1001", "limit");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?limit=many", "limit");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?since=2026-05-18T25:00:00Z", "since");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?until=tomorrow", "until");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?since=2026-05-18T00:00:00Z&until=2026-05-17T00:00:00Z",
				"until");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/events?session_id=sess_xyz", "session_id");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/sessions/sess_xyz/events", "session_id");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/sessions/" + SESSION + "/events?limit=-1", "limit");
		then(this.events).shouldHaveNoInteractions();
	}

	@Test
	void listSessionWhenSessionUnknownThen404Problem() {
		given(this.events.list(any(), anyInt(), any())).willThrow(new NoSuchSessionException(SESSION));
		assertThat(this.mvc.get().uri("/api/v1/sessions/" + SESSION + "/events")).hasStatus(404)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Session " + SESSION + " is neither tracked nor has events");
	}

	@Test
	void exportWhenAcceptIsCsvOrNdjsonThenExportInThatFormat() throws Exception {
		assertThat(this.mvc.get().uri("/api/v1/events?type=a").accept("text/csv")).hasStatusOk();
		then(this.events).should().export(any(), eq(EventFormat.CSV), any());
		assertThat(this.mvc.get().uri("/api/v1/sessions/" + SESSION + "/events").accept("application/x-ndjson"))
			.hasStatusOk();
		ArgumentCaptor<EventFilter> filter = ArgumentCaptor.forClass(EventFilter.class);
		then(this.events).should().export(filter.capture(), eq(EventFormat.NDJSON), any());
		assertThat(filter.getValue().session()).isEqualTo(SESSION);
		then(this.events).should(never()).list(any(), anyInt(), any());
	}

	@Test
	void exportWhenParametersInvalidThen400Problem() {
		assertThat(this.mvc.get().uri("/api/v1/events?since=x").accept("text/csv")).hasStatus(400)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("since");
		then(this.events).shouldHaveNoInteractions();
	}

}
