package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingestion against an upstream that fails: every event still ends up stored once, in
 * order.
 */
class IngestionFaultTests extends IntegrationTest {

	@Autowired
	private IngestService ingest;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private MeterRegistry meters;

	@ParameterizedTest
	@CsvSource({ "403, unauthorized, permission_error", "404, not_found, not_found_error",
			"400, failing, invalid_request_error", "500, failing, api_error", "502, failing, api_error",
			"503, failing, api_error", "504, failing, api_error" })
	void pollDueWhenUpstreamAnswersErrorThenDocumentedStateAndOthersKeepIngesting(int status, String state,
			String type) {
		String failing = tracked(120);
		String healthy = tracked(130);
		this.upstream.failNext(failing, 1, status, Map.of("x-request-id", "req_fault"),
				"{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"injected\"}}");
		this.ingest.pollDue();
		this.client.resume();
		assertThat(stored(healthy)).containsExactlyElementsOf(this.upstream.eventIds(healthy));
		Map<String, Object> row = row(failing);
		assertThat(row.get("state")).isEqualTo(state);
		assertThat(row.get("consecutive_failures")).isEqualTo(1);
		assertThat(row.get("last_error_http_status")).isEqualTo(status);
		assertThat(row.get("last_error_type")).isEqualTo(type);
		assertThat(row.get("last_error_request_id")).isEqualTo("req_fault");
		assertThat(stored(failing)).isEmpty();
	}

	@Test
	void pollDueWhenTokenRejectedThenSessionUnauthorizedAndWholeClientPauses() {
		String rejected = tracked(10);
		this.upstream.failNext(rejected, 1, 401, Map.of("x-request-id", "req_401"),
				"{\"error\":{\"type\":\"authentication_error\",\"message\":\"PAT invalid or expired\"}}");
		syncNow(rejected);
		assertThat(row(rejected).get("state")).isEqualTo("unauthorized");
		assertThat(row(rejected).get("last_error_request_id")).isEqualTo("req_401");
		assertThat(this.client.authorizationFailure()).isNotNull();
		String other = tracked(10);
		int requests = this.upstream.requestCount();
		assertThat(this.ingest.pollDue()).isZero();
		assertThat(this.upstream.requestCount()).isEqualTo(requests);
		this.client.resume();
		syncNow(other);
		assertThat(stored(other)).hasSize(10);
		assertThat(this.client.authorizationFailure()).isNull();
	}

	@Test
	void pollWhenNotFoundThenSessionLeavesScheduleUntilSync() {
		String session = tracked(5);
		this.upstream.failNext(session, 1, 404, Map.of(), "");
		syncNow(session);
		this.jdbc.sql("update tracked_session set next_poll_at = now() - interval '1 hour'").update();
		assertThat(this.ingest.pollDue()).isZero();
		this.tracking.requestSync(session);
		assertThat(this.ingest.pollDue()).isEqualTo(1);
		assertThat(row(session).get("state")).isEqualTo("active");
		assertThat(stored(session)).hasSize(5);
	}

	@ParameterizedTest
	@CsvSource({ "500, '{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}'", "502, ''",
			"503, ''", "504, '<html>Gateway Timeout</html>'" })
	void pollWhenServerErrorsMidSessionThenRecoversWithNothingLostOrDuplicated(int status, String body) {
		String session = tracked(0);
		this.upstream.appendAll(session, TestEvents.events(session, 450));
		// the third page fails twice, then the upstream recovers
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 230));
		this.upstream.failNext(session, 2, status, Map.of(), body);
		for (int attempt = 0; attempt < 3; attempt++) {
			syncNow(session);
		}
		assertThat(row(session).get("state")).isEqualTo("active");
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 680);
	}

	@Test
	void pollWhenServerErrorsThenBackoffGrowsWithJitterAndIsCapped() {
		String session = tracked(3);
		this.upstream.failNext(session, 5, 503, Map.of(), "");
		long previous = 0;
		for (int failure = 1; failure <= 5; failure++) {
			syncNow(session);
			Map<String, Object> row = this.jdbc.sql("""
					select consecutive_failures, extract(epoch from next_poll_at - last_polled_at) * 1000 as delay_ms
					from tracked_session where session_id = ?""").param(session).query().singleRow();
			long delay = ((Number) row.get("delay_ms")).longValue();
			assertThat(row.get("consecutive_failures")).isEqualTo(failure);
			// backoff-initial 100ms doubling, capped at backoff-max 1s, jittered into
			// [half, full]
			long full = Math.min(100L << (failure - 1), 1000);
			assertThat(delay).isBetween(full / 2 - 5, full + 5);
			previous = delay;
		}
		assertThat(previous).isLessThanOrEqualTo(1005);
		syncNow(session);
		assertThat(row(session).get("consecutive_failures")).isEqualTo(0);
		assertThat(row(session).get("last_error_type")).isNull();
	}

	@Test
	void pollWhenBodyMalformedMidSessionThenRecordedAndNothingHalfApplied() {
		String session = tracked(250);
		String truncated = "{\"data\":[{\"id\":\"evt_x\",\"type\":\"user.message\"},{\"id\":\"evt_y\",\"ty";
		this.upstream.failNext(session, 1, 200, Map.of(), "{\"data\": []");
		syncNow(session);
		assertThat(row(session).get("last_error_type")).isEqualTo("malformed_response");
		assertThat(stored(session)).isEmpty();
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 10));
		this.upstream.failNext(session, 1, 200, Map.of(), truncated);
		syncNow(session);
		assertThat(row(session).get("state")).isEqualTo("failing");
		assertThat(stored(session)).hasSize(250);
		this.upstream.failNext(session, 1, 200, Map.of(), "{\"data\":{\"id\":\"evt_z\"},\"has_more\":false}");
		syncNow(session);
		assertThat(stored(session)).hasSize(250);
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 260);
	}

	@Test
	void pollWhenCursorRejectedThenSessionReReadFromStartWithoutDuplicates() {
		String session = tracked(340);
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 15));
		// the upstream no longer knows the stored cursor (the simulator answers 400 for
		// an unknown after_id)
		this.jdbc.sql("update tracked_session set cursor = 'evt_forgotten' where session_id = ?")
			.param(session)
			.update();
		assertThat(syncNow(session)).isEqualTo(15);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 355);
		assertThat(row(session).get("state")).isEqualTo("active");
	}

	@Test
	void pollWhenUpstreamReplacedTheHistoryThenDivergedAndNothingAppended() {
		String session = tracked(27);
		syncNow(session);
		List<String> before = stored(session);
		// the upstream forgets the session and lists another history under its id (the
		// old demo simulator did so on restart): the stored cursor is unknown, the
		// re-read
		// from the start lists other ids
		this.upstream.deleteSession(session);
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 16));
		assertThat(syncNow(session)).isZero();
		assertThat(stored(session)).containsExactlyElementsOf(before);
		assertSequences(session, 27);
		Map<String, Object> row = row(session);
		assertThat(row.get("state")).isEqualTo("diverged");
		assertThat(row.get("last_error_type")).isEqualTo("diverged");
		assertThat((String) row.get("last_error_message"))
			.contains(this.upstream.eventIds(session).get(0) + " at position 1");
		assertThat(row.get("next_poll_at")).isNull();
		// no later poll appends it either
		this.ingest.pollDue();
		assertThat(stored(session)).containsExactlyElementsOf(before);
	}

	@Test
	void pollWhenCursorRejectedAndTheReReadAddsEventsAfterTheStoredOnesThenActive() {
		String session = tracked(230);
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		this.jdbc.sql("update tracked_session set cursor = null where session_id = ?").param(session).update();
		assertThat(syncNow(session)).isEqualTo(3);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertThat(row(session).get("state")).isEqualTo("active");
	}

	@Test
	void pollWhenCursorRejectedWith404ButSessionExistsThenReReadFromStart() {
		String session = tracked(120);
		syncNow(session);
		this.upstream.failNext(session, 1, 404, Map.of(), "");
		this.upstream.append(session, TestEvents.message(session, "evt_late", Instant.now()));
		assertThat(syncNow(session)).isEqualTo(1);
		assertSequences(session, 121);
		assertThat(row(session).get("state")).isEqualTo("active");
	}

	@Test
	void pollDueWhenOneSessionIsSlowerThanReadTimeoutThenAbandonedAndOthersIngest() {
		String slow = tracked(50);
		List<String> others = List.of(tracked(60), tracked(70), tracked(80));
		this.upstream.delayNext(slow, 1, Duration.ofSeconds(4));
		double timeouts = timeouts();
		this.ingest.pollDue();
		assertThat(timeouts()).isEqualTo(timeouts + 1);
		for (String other : others) {
			assertThat(stored(other)).containsExactlyElementsOf(this.upstream.eventIds(other));
		}
		assertThat(row(slow).get("last_error_type")).isEqualTo("timeout");
		assertThat(stored(slow)).isEmpty();
		syncNow(slow);
		assertThat(stored(slow)).containsExactlyElementsOf(this.upstream.eventIds(slow));
	}

	@Test
	void pollWhenRateLimitedThenWholeClientPausesAndIngestionResumesAfterwards() {
		String first = tracked(150);
		this.upstream.failNext(first, 1, 429, Map.of("Retry-After", "30"), "");
		syncNow(first);
		String second = tracked(20);
		int requests = this.upstream.requestCount();
		assertThat(this.ingest.pollDue()).isZero();
		syncNow(second);
		assertThat(this.upstream.requestCount()).isEqualTo(requests);
		assertThat(stored(second)).isEmpty();
		this.client.resume();
		syncNow(first);
		syncNow(second);
		assertThat(stored(first)).containsExactlyElementsOf(this.upstream.eventIds(first));
		assertThat(stored(second)).containsExactlyElementsOf(this.upstream.eventIds(second));
	}

	private double timeouts() {
		return this.meters.find("qoder.upstream.requests")
			.tag("status", "timeout")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
