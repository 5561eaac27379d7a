package io.qoderevents.webhooks;

import java.time.Duration;
import java.time.Instant;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push reaches the API without waiting for a tick: with the scheduler on and a tick of
 * an hour, nothing but the wake-up of a made-due session and the poll's hand-off of a
 * running session to the live tail can read these events, over real HTTP, into the real
 * database.
 */
@TestPropertySource(properties = { "qoder.ingest.enabled=true", "qoder.ingest.tick=1h" })
class WebhookPushTests extends IntegrationTest {

	@Value("${qoder.webhooks.secret}")
	private String secret;

	@Autowired
	private TrackingService tracking;

	@Test
	void receiveWhenRunStartedThenPolledAtOnceAndStreamedUntilTheIdle() throws Exception {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		this.upstream.streamHeartbeat(Duration.ofMillis(200));
		this.tracking.track(session);
		await(() -> stored(session).size() == 3);
		assertThat(this.upstream.openStreams(session)).isZero();

		this.upstream.append(session,
				TestEvents.ofType(session, TestEvents.eventId(), "session.status_running", Instant.now().toString()));
		this.upstream.append(session,
				TestEvents.ofType(session, TestEvents.eventId(), "user.message", Instant.now().toString()));
		int status = send("session.status_run_started", session);
		assertThat(status).isEqualTo(202);
		await(() -> stored(session).size() == 5);
		await(() -> this.upstream.openStreams(session) == 1);
		long lists = listRequests(session);

		for (int i = 0; i < 3; i++) {
			this.upstream.append(session, TestEvents.message(session, TestEvents.eventId(), Instant.now()));
		}
		await(() -> stored(session).size() == 8);
		this.upstream.append(session, TestEvents.idle(session, TestEvents.eventId(), TestEvents.turnId(),
				Instant.now().toString(), 1, 2, 0, 0));
		await(() -> this.upstream.openStreams(session) == 0);

		assertThat(listRequests(session)).as("read by the stream, not by polls").isEqualTo(lists);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 9);
		assertThat(row(session)).containsEntry("running", false).containsEntry("lease_owner", null);
	}

	private int send(String type, String session) {
		String id = SignedWebhooks.webhookId();
		long now = Instant.now().getEpochSecond();
		String body = SignedWebhooks.body(session);
		return this.api
			.post("/api/v1/webhooks/qoder", body, "Content-Type", "application/json", "webhook-id", id,
					"webhook-timestamp", Long.toString(now), "webhook-signature",
					SignedWebhooks.sign(this.secret, id, now, body), "webhook-event-type", type)
			.status();
	}

	private long listRequests(String session) {
		return this.upstream.requestLog()
			.stream()
			.filter((request) -> request.startsWith("/sessions/" + session + "/events?"))
			.count();
	}

}
