package io.qoderevents.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

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

@WebMvcTest(UsageController.class)
@AutoConfigureMockMvc(addFilters = false)
class UsageControllerTests {

	private static final String SESSION = "sess_019e392c0d1e74e095d21ea4c6b41def";

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private UsageService usage;

	@Test
	void sessionWhenUsageThenSnakeCaseFieldsWithTotal() {
		UsageCounters counters = new UsageCounters(150, 42, 5, 3, new BigDecimal("8.64"), 3);
		TurnUsage turn = new TurnUsage("turn_1", counters, new BigDecimal("0.35"), 1, "end_turn",
				Instant.parse("2026-05-18T03:40:48Z"), Instant.parse("2026-05-18T03:41:00Z"));
		given(this.usage.session(eq(SESSION), any())).willReturn(new SessionUsage(SESSION, counters,
				new BigDecimal("0.35"), new BigDecimal("9.10"), Instant.parse("2026-05-18T03:42:00Z"),
				new BigDecimal("0.364"), "USD", "ultimate", 1, Instant.parse("2026-05-18T03:40:48Z"),
				Instant.parse("2026-05-18T03:41:00Z"), List.of(turn), List.of()));
		assertThat(this.mvc.get().uri("/api/v1/sessions/" + SESSION + "/usage")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo(
					"""
							{"session_id":"%s","input_tokens":150,"output_tokens":42,"cache_read_input_tokens":5,
							 "cache_creation_input_tokens":3,"total_tokens":200,"turns":1,"credits":8.64,
							 "billed_credits":9.10,"billed_credits_at":"2026-05-18T03:42:00Z","model":"ultimate",
							 "model_requests":3,"first_event_at":"2026-05-18T03:40:48Z","last_event_at":"2026-05-18T03:41:00Z",
							 "by_turn":[{"turn_id":"turn_1","input_tokens":150,"output_tokens":42,"cache_read_input_tokens":5,
							   "cache_creation_input_tokens":3,"total_tokens":200,"credits":8.64,"model_requests":3,
							   "pauses":1,"stop_reason":"end_turn","started_at":"2026-05-18T03:40:48Z","completed_at":"2026-05-18T03:41:00Z"}]}"""
						.formatted(SESSION));
	}

	@Test
	void rollupWhenParametersGivenThenParsedFilter() {
		given(this.usage.rollup(any(), anyInt(), any()))
			.willReturn(new UsageReport("hour", "Asia/Shanghai", "USD", List.of(), null, UsageTotals.ZERO, List.of()));
		assertThat(this.mvc.get().uri("/api/v1/usage?group_by=hour&tz=Asia/Shanghai&session_id=" + SESSION))
			.hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"data":[],"next_cursor":null,"totals":{"input_tokens":0,"total_tokens":0,"turns":0},
					 "tz":"Asia/Shanghai"}""");
		ArgumentCaptor<UsageFilter> filter = ArgumentCaptor.forClass(UsageFilter.class);
		then(this.usage).should().rollup(filter.capture(), eq(100), eq(null));
		assertThat(filter.getValue().grouping()).isEqualTo(UsageGrouping.HOUR);
		assertThat(filter.getValue().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
		assertThat(filter.getValue().sessionIds()).containsExactly(SESSION);
	}

	@Test
	void rollupWhenNoGroupingThenBySessionInUtc() {
		given(this.usage.rollup(any(), anyInt(), any()))
			.willReturn(new UsageReport("session", "UTC", "USD", List.of(), null, UsageTotals.ZERO, List.of()));
		assertThat(this.mvc.get().uri("/api/v1/usage")).hasStatusOk();
		ArgumentCaptor<UsageFilter> filter = ArgumentCaptor.forClass(UsageFilter.class);
		then(this.usage).should().rollup(filter.capture(), eq(100), eq(null));
		assertThat(filter.getValue().grouping()).isEqualTo(UsageGrouping.SESSION);
		assertThat(filter.getValue().zone()).isEqualTo(ZoneId.of("UTC"));
	}

	@Test
	void rollupWhenParametersInvalidThen400NamingEach() {
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?group_by=month", "group_by");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?tz=Nowhere/City", "tz");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?tz=GMT+8", "tz");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?since=2026-05-18", "since");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?until=2026-05-18T00:00:00", "until");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?session_id=x", "session_id");
		MvcProblems.assertInvalid(this.mvc, "/api/v1/usage?limit=0", "limit");
	}

}
