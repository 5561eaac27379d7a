package io.qoderevents.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.IngestService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook endpoint over real HTTP: signatures computed here, independently of the
 * service's code, with the demo profile's secret and a previous one still accepted.
 */
@TestPropertySource(properties = { "qoder.webhooks.previous-secret=" + WebhookTests.PREVIOUS_SECRET,
		"qoder.ingest.discovery=true" })
class WebhookTests extends IntegrationTest {

	static final String PREVIOUS_SECRET = "whsec_b2xkIHFvZGVyLWV2ZW50cyB3ZWJob29rIGtleQ==";

	private static final String WRONG_SECRET = "whsec_d3JvbmcgcW9kZXItZXZlbnRzIHdlYmhvb2sga2V5";

	private static final String PATH = "/api/v1/webhooks/qoder";

	@Value("${qoder.webhooks.secret}")
	private String secret;

	@Autowired
	private IngestService ingest;

	@Autowired
	private WebhookService webhooks;

	@Autowired
	private MeterRegistry registry;

	@Test
	void receiveWhenSignedThen202AndTheSessionDueWithoutPollingOnTheRequest() {
		String session = polledSession();
		int requests = this.upstream.requestCount();
		double accepted = received("accepted");
		Response response = send(this.secret, webhookId(), now(), "session.status_idled", body(session));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).isEmpty();
		assertThat(due(session)).isTrue();
		assertThat(this.upstream.requestCount()).isEqualTo(requests);
		assertThat(received("accepted")).isEqualTo(accepted + 1);
	}

	@Test
	void receiveWhenSignedWithAnotherKeyThen401Problem() {
		String session = polledSession();
		double rejected = received("rejected");
		assertUnauthorized(send(WRONG_SECRET, webhookId(), now(), "session.status_idled", body(session)));
		assertThat(due(session)).isFalse();
		assertThat(received("rejected")).isEqualTo(rejected + 1);
	}

	@Test
	void receiveWhenBodyTamperedThen401Problem() {
		String session = polledSession();
		String id = webhookId();
		long now = now();
		String signed = body(TestEvents.sessionId());
		Response response = post(body(session), "webhook-id", id, "webhook-timestamp", Long.toString(now),
				"webhook-signature", sign(this.secret, id, now, signed), "webhook-event-type", "session.status_idled");
		assertUnauthorized(response);
		assertThat(due(session)).isFalse();
	}

	@Test
	void receiveWhenTimestampMoreThanFiveMinutesAwayThen401Problem() {
		String session = polledSession();
		assertUnauthorized(send(this.secret, webhookId(), now() - 360, "session.status_idled", body(session)));
		assertUnauthorized(send(this.secret, webhookId(), now() + 360, "session.status_idled", body(session)));
		assertThat(due(session)).isFalse();
		assertThat(send(this.secret, webhookId(), now() - 240, "session.status_idled", body(session)).status())
			.isEqualTo(202);
		assertThat(due(session)).isTrue();
	}

	@Test
	void receiveWhenTwoSignaturesAndOneValidThen202() {
		String session = polledSession();
		String id = webhookId();
		long now = now();
		String body = body(session);
		String signatures = sign(WRONG_SECRET, id, now, body) + " " + sign(this.secret, id, now, body);
		Response response = post(body, "webhook-id", id, "webhook-timestamp", Long.toString(now), "webhook-signature",
				signatures, "webhook-event-type", "session.status_run_started");
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		assertThat(due(session)).isTrue();
	}

	@Test
	void receiveWhenSignedWithThePreviousSecretThen202() {
		String session = polledSession();
		assertThat(send(PREVIOUS_SECRET, webhookId(), now(), "session.status_idled", body(session)).status())
			.isEqualTo(202);
		assertThat(due(session)).isTrue();
		String other = polledSession();
		assertThat(send(this.secret, webhookId(), now(), "session.status_idled", body(other)).status()).isEqualTo(202);
		assertThat(due(other)).isTrue();
	}

	@Test
	void receiveWhenAHeaderIsMissingOrMalformedThen401Problem() {
		String session = polledSession();
		String id = webhookId();
		String now = Long.toString(now());
		String body = body(session);
		String signature = sign(this.secret, id, now(), body);
		assertUnauthorized(post(body, "webhook-timestamp", now, "webhook-signature", signature));
		assertUnauthorized(post(body, "webhook-id", id, "webhook-signature", signature));
		assertUnauthorized(post(body, "webhook-id", id, "webhook-timestamp", now));
		assertUnauthorized(
				post(body, "webhook-id", id, "webhook-timestamp", now + ".5", "webhook-signature", signature));
		assertUnauthorized(post(body, "webhook-id", id, "webhook-timestamp", now, "webhook-signature", "v1,"));
		assertUnauthorized(post(body));
		assertThat(due(session)).isFalse();
	}

	@Test
	void receiveWhenBodyOverTheCapThen413Problem() {
		String session = polledSession();
		String padding = "x".repeat(17 * 1024);
		String body = "{\"type\":\"event\",\"data\":{\"type\":\"session\",\"id\":\"" + session + "\"},\"pad\":\""
				+ padding + "\"}";
		Response response = send(this.secret, webhookId(), now(), "session.status_idled", body);
		assertThat(response.status()).as(response.body()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(due(session)).isFalse();
	}

	@Test
	void receiveWhenSameWebhookIdAgainThen202AndNothingChanges() {
		String session = polledSession();
		String id = webhookId();
		assertThat(send(this.secret, id, now(), "session.status_idled", body(session)).status()).isEqualTo(202);
		this.ingest.pollDue();
		assertThat(due(session)).isFalse();
		double duplicates = received("duplicate");
		Response retry = send(this.secret, id, now(), "session.status_idled", body(session));
		assertThat(retry.status()).isEqualTo(202);
		assertThat(due(session)).isFalse();
		assertThat(received("duplicate")).isEqualTo(duplicates + 1);
		assertThat(count("select count(*) from webhook_delivery where webhook_id = ?", id)).isOne();
	}

	@Test
	void receiveWhenUnknownTypeOrNoSessionThen202AndIgnored() {
		String session = polledSession();
		double ignored = received("ignored");
		assertThat(send(this.secret, webhookId(), now(), "environment.updated", body(session)).status()).isEqualTo(202);
		assertThat(
				send(this.secret, webhookId(), now(), "session.updated", "{\"type\":\"event\",\"data\":{}}").status())
			.isEqualTo(202);
		assertThat(send(this.secret, webhookId(), now(), null, body(session)).status()).isEqualTo(202);
		assertThat(due(session)).isFalse();
		assertThat(received("ignored")).isEqualTo(ignored + 3);
	}

	@Test
	void receiveWhenSignedBodyIsNotJsonThen400Problem() {
		Response response = send(this.secret, webhookId(), now(), "session.updated", "not json");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void receiveWhenSessionNotTrackedThenTheSameAnswerAsForATrackedOne() {
		Response tracked = send(this.secret, webhookId(), now(), "session.status_idled", body(polledSession()));
		String untracked = TestEvents.sessionId();
		Response unknown = send(this.secret, webhookId(), now(), "session.status_idled", body(untracked));
		assertThat(unknown.status()).isEqualTo(tracked.status()).isEqualTo(202);
		assertThat(unknown.body()).isEqualTo(tracked.body());
		assertThat(unknown.headers().headerNames()).isEqualTo(tracked.headers().headerNames());
		assertThat(count("select count(*) from tracked_session where session_id = ?", untracked)).isZero();
	}

	@Test
	void receiveWhenSessionCreatedWithDiscoveryOnThenTracked() {
		String created = TestEvents.sessionId();
		this.upstream.createSession(created);
		this.upstream.appendAll(created, TestEvents.events(created, 3));
		assertThat(send(this.secret, webhookId(), now(), "session.created", body(created)).status()).isEqualTo(202);
		this.ingest.pollDue();
		assertThat(stored(created)).hasSize(3);
	}

	@Test
	void receiveWhenSessionHasNewEventsThenTheNextTickStoresThemThroughThePoller() {
		String session = polledSession();
		this.upstream.appendAll(session, TestEvents.events(session, 4));
		this.ingest.pollDue();
		assertThat(stored(session)).hasSize(3);
		assertThat(send(this.secret, webhookId(), now(), "session.status_idled", body(session)).status())
			.isEqualTo(202);
		this.ingest.pollDue();
		assertSequences(session, 7);
		assertThat(row(session).get("last_error_type")).isNull();
	}

	@Test
	void receiveWhenAStormOfWebhooksForOneSessionThenOnePoll() throws Exception {
		String session = polledSession();
		this.upstream.appendAll(session, TestEvents.events(session, 2));
		ExecutorService senders = Executors.newFixedThreadPool(8);
		try {
			List<Future<Response>> responses = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				responses.add(senders
					.submit(() -> send(this.secret, webhookId(), now(), "session.status_idled", body(session))));
			}
			for (Future<Response> response : responses) {
				assertThat(response.get().status()).isEqualTo(202);
			}
		}
		finally {
			senders.shutdown();
		}
		int requests = this.upstream.requestCount();
		this.ingest.pollDue();
		this.ingest.pollDue();
		assertThat(this.upstream.requestCount() - requests).isOne();
		assertSequences(session, 5);
	}

	@Test
	void forgetOldDeliveriesWhenOlderThanTheRetentionThenDeleted() {
		String old = webhookId();
		String recent = webhookId();
		this.jdbc.sql("insert into webhook_delivery (webhook_id, received_at) values (?, now() - interval '4 days')")
			.param(old)
			.update();
		assertThat(send(this.secret, recent, now(), "session.status_idled", body(polledSession())).status())
			.isEqualTo(202);
		assertThat(this.webhooks.forgetOldDeliveries()).isPositive();
		assertThat(count("select count(*) from webhook_delivery where webhook_id in (?, ?)", old, recent)).isOne();
		assertThat(count("select count(*) from webhook_delivery where webhook_id = ?", recent)).isOne();
	}

	/** A tracked session with 3 events, polled once, so that it is not due. */
	private String polledSession() {
		String session = tracked(3);
		this.ingest.pollDue();
		assertThat(due(session)).isFalse();
		return session;
	}

	private static void assertUnauthorized(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.body()).contains("\"status\":401", "webhook");
	}

	private boolean due(String session) {
		return this.jdbc.sql("select sync_requested or next_poll_at <= now() from tracked_session where session_id = ?")
			.param(session)
			.query(Boolean.class)
			.single();
	}

	private double received(String outcome) {
		return this.registry.get("qoder.webhooks.received").tag("outcome", outcome).counter().count();
	}

	private Response send(String secret, String id, long timestamp, String type, String body) {
		List<String> headers = new ArrayList<>(List.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
				"webhook-signature", sign(secret, id, timestamp, body)));
		if (type != null) {
			headers.addAll(List.of("webhook-event-type", type));
		}
		return post(body, headers.toArray(String[]::new));
	}

	private Response post(String body, String... headers) {
		String[] all = new String[headers.length + 2];
		all[0] = "Content-Type";
		all[1] = "application/json";
		System.arraycopy(headers, 0, all, 2, headers.length);
		return this.api.post(PATH, body, all);
	}

	private static String body(String session) {
		return SignedWebhooks.body(session);
	}

	private static String sign(String secret, String id, long timestamp, String body) {
		return SignedWebhooks.sign(secret, id, timestamp, body);
	}

	private static String webhookId() {
		return SignedWebhooks.webhookId();
	}

	private static long now() {
		return Instant.now().getEpochSecond();
	}

}
