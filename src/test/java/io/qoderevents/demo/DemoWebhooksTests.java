package io.qoderevents.demo;

import java.net.URI;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated upstream's webhooks reach the service's endpoint and are accepted. */
class DemoWebhooksTests extends IntegrationTest {

	@Value("${qoder.webhooks.secret}")
	private String secret;

	@Autowired
	private MeterRegistry registry;

	@Test
	void deliverWhenSessionTrackedThenAcceptedAndPolledByTheNextTick() {
		String session = tracked(2);
		syncNow(session);
		this.upstream.appendAll(session, TestEvents.events(session, 3));
		double accepted = accepted();
		DemoWebhooks webhooks = new DemoWebhooks(URI.create("http://127.0.0.1:" + this.port + "/api/v1/webhooks/qoder"),
				this.secret, Clock.systemUTC());
		webhooks.deliver("session.status_idled", session);
		assertThat(accepted()).isEqualTo(accepted + 1);
		assertThat(row(session).get("sync_requested")).isEqualTo(true);
	}

	private double accepted() {
		return this.registry.get("qoder.webhooks.received").tag("outcome", "accepted").counter().count();
	}

}
