package io.qoderevents.errors;

import java.time.Instant;
import java.util.List;

import io.qoderevents.errors.ErrorGroup.RetryStatusCounts;
import io.qoderevents.web.ListResponse;
import io.qoderevents.web.MvcProblems;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

@WebMvcTest(ErrorController.class)
@AutoConfigureMockMvc(addFilters = false)
class ErrorControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private ErrorService errors;

	@Test
	void groupsWhenGroupedByTypeThenMessageAndSessionOmitted() {
		ErrorGroup group = new ErrorGroup("model_overloaded_error", null, null, null, 12, 3,
				Instant.parse("2026-05-18T03:40:00Z"), Instant.parse("2026-05-18T04:00:00Z"),
				new RetryStatusCounts(9, 3, 0, 0), null);
		given(this.errors.groups(any(), anyInt(), any())).willReturn(new ListResponse<>(List.of(group), null));
		assertThat(this.mvc.get().uri("/api/v1/errors")).hasStatusOk()
			.bodyText()
			.isEqualTo("{\"data\":[{\"error_type\":\"model_overloaded_error\",\"count\":12,\"session_count\":3,"
					+ "\"first_seen\":\"2026-05-18T03:40:00Z\",\"last_seen\":\"2026-05-18T04:00:00Z\","
					+ "\"retry_status\":{\"retrying\":9,\"exhausted\":3,\"terminal\":0,\"unknown\":0}}],"
					+ "\"next_cursor\":null}");
		ArgumentCaptor<ErrorFilter> filter = ArgumentCaptor.forClass(ErrorFilter.class);
		then(this.errors).should().groups(filter.capture(), eq(100), eq(null));
		assertThat(filter.getValue().grouping()).isEqualTo(ErrorGrouping.TYPE);
	}

	@Test
	void groupsWhenParametersInvalidThen400NamingEach() {
		MvcProblems.assertInvalid(this.mvc, "/api/v1/errors?group_by=types", "group_by");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/errors?since=now", "since");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/errors?since=2026-05-18T00:00:00Z&until=2026-05-18T00:00:00Z",
				"until");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/errors?session_id=sess_1", "session_id");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/errors?limit=2000", "limit");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/sessions/sess_1/errors?limit=abc", "limit");
		then(this.errors).shouldHaveNoInteractions();
	}

}
