package io.qoderevents.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.qoderevents.webhooks.WebhookSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The simulated upstream's webhooks: a signed {@code POST} to the service for each run a
 * demo session starts or finishes, as the real upstream sends them.
 */
final class DemoWebhooks {

	private static final Logger logger = LoggerFactory.getLogger(DemoWebhooks.class);

	private final RestClient http;

	private final URI url;

	private final String secret;

	private final Clock clock;

	private final AtomicBoolean warned = new AtomicBoolean();

	DemoWebhooks(URI url, String secret, Clock clock) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
		requests.setReadTimeout(Duration.ofSeconds(5));
		this.http = RestClient.builder().requestFactory(requests).build();
		this.url = url;
		this.secret = secret;
		this.clock = clock;
	}

	/** Delivers a webhook of this type naming the session; a failure is logged. */
	void deliver(String eventType, String sessionId) {
		byte[] random = new byte[12];
		ThreadLocalRandom.current().nextBytes(random);
		String id = "whe_" + HexFormat.of().formatHex(random);
		Instant now = this.clock.instant();
		byte[] body = ("{\"type\":\"event\",\"id\":\"" + id + "\",\"created_at\":\"" + now
				+ "\",\"data\":{\"type\":\"session\",\"id\":\"" + sessionId + "\"}}")
			.getBytes(StandardCharsets.UTF_8);
		try {
			this.http.post()
				.uri(this.url)
				.contentType(MediaType.APPLICATION_JSON)
				.header("webhook-id", id)
				.header("webhook-timestamp", Long.toString(now.getEpochSecond()))
				.header("webhook-signature", WebhookSignatures.sign(this.secret, id, now.getEpochSecond(), body))
				.header("webhook-event-type", eventType)
				.body(body)
				.retrieve()
				.toBodilessEntity();
		}
		catch (RestClientException ex) {
			if (this.warned.compareAndSet(false, true)) {
				logger.warn("Could not deliver a demo webhook to {}: {}", this.url, ex.getMessage());
			}
		}
	}

}
