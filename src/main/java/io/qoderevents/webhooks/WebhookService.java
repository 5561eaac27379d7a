package io.qoderevents.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.SessionIds;
import io.qoderevents.webhooks.WebhookRejectedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Receives the upstream's webhooks: checks the size, headers, timestamp and signature of
 * a delivery on its raw bytes before any JSON is read, remembers its id, and makes the
 * session it names due at once. The poll itself is left to the schedule.
 */
@Service
@Conditional(WebhooksEnabled.class)
class WebhookService {

	private static final Logger logger = LoggerFactory.getLogger(WebhookService.class);

	private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");

	private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

	private static final String SESSION_CREATED = "session.created";

	private final WebhookSignatures signatures;

	private final JdbcWebhookRepository deliveries;

	private final TrackingService tracking;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final Clock clock;

	private final QoderProperties.Webhooks properties;

	private final boolean discovery;

	private final Map<Outcome, Counter> received = new EnumMap<>(Outcome.class);

	WebhookService(JdbcWebhookRepository deliveries, TrackingService tracking, TransactionTemplate transactions,
			JsonMapper json, Clock clock, QoderProperties properties, MeterRegistry registry) {
		this.properties = properties.webhooks();
		this.signatures = new WebhookSignatures(List.of(this.properties.secret(), this.properties.previousSecret()));
		this.deliveries = deliveries;
		this.tracking = tracking;
		this.transactions = transactions;
		this.json = json;
		this.clock = clock;
		this.discovery = properties.ingest().discovery();
		for (Outcome outcome : Outcome.values()) {
			this.received.put(outcome,
					Counter.builder("qoder.webhooks.received")
						.description("Upstream webhooks received, by outcome")
						.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
						.register(registry));
		}
	}

	/**
	 * Handles one delivery; a duplicate, an unknown type or a session that is not tracked
	 * change nothing.
	 * @param contentLength the declared body length, negative when unknown
	 * @throws WebhookRejectedException when the delivery is too large, unsigned or not
	 * the JSON of a webhook
	 */
	Outcome receive(Delivery delivery, InputStream body, long contentLength) {
		Outcome outcome;
		try {
			byte[] raw = read(body, contentLength);
			verify(delivery, raw);
			String sessionId = sessionId(delivery, raw);
			outcome = this.transactions.execute((status) -> apply(delivery, sessionId));
		}
		catch (WebhookRejectedException ex) {
			this.received.get(Outcome.REJECTED).increment();
			logger.debug("Webhook rejected: {}", ex.getMessage());
			throw ex;
		}
		this.received.get(outcome).increment();
		logger.debug("Webhook {} ({}): {}", delivery.id(), delivery.eventType(), outcome);
		return outcome;
	}

	/** Deletes the webhook ids older than {@code qoder.webhooks.id-retention}. */
	int forgetOldDeliveries() {
		return this.deliveries.forget(this.clock.instant().minus(this.properties.idRetention()));
	}

	private byte[] read(InputStream body, long contentLength) {
		long max = this.properties.maxBodySize().toBytes();
		if (contentLength > max) {
			throw tooLarge(max);
		}
		byte[] raw;
		try {
			raw = body.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE));
		}
		catch (IOException ex) {
			throw new WebhookRejectedException(Reason.MALFORMED, "The webhook body could not be read");
		}
		if (raw.length > max) {
			throw tooLarge(max);
		}
		return raw;
	}

	private static WebhookRejectedException tooLarge(long max) {
		return new WebhookRejectedException(Reason.TOO_LARGE, "Webhook bodies are limited to " + max + " bytes");
	}

	private void verify(Delivery delivery, byte[] body) {
		if (delivery.id() == null || !WEBHOOK_ID.matcher(delivery.id()).matches() || delivery.timestamp() == null
				|| !TIMESTAMP.matcher(delivery.timestamp()).matches() || delivery.signature() == null) {
			throw new WebhookRejectedException(Reason.UNSIGNED,
					"A webhook needs webhook-id, webhook-timestamp (Unix seconds) and webhook-signature");
		}
		Instant sent = Instant.ofEpochSecond(Long.parseLong(delivery.timestamp()));
		Instant now = this.clock.instant();
		if (sent.isBefore(now.minus(this.properties.tolerance()))
				|| sent.isAfter(now.plus(this.properties.tolerance()))) {
			throw new WebhookRejectedException(Reason.UNSIGNED,
					"The webhook-timestamp is more than " + this.properties.tolerance() + " from now");
		}
		if (!this.signatures.verify(delivery.id(), delivery.timestamp(), body, delivery.signature())) {
			throw new WebhookRejectedException(Reason.UNSIGNED, "No webhook-signature matches the delivery");
		}
	}

	/** The session a verified session event names, else null. */
	private String sessionId(Delivery delivery, byte[] body) {
		WebhookBody webhook;
		try {
			webhook = this.json.readValue(body, WebhookBody.class);
		}
		catch (JacksonException ex) {
			webhook = null;
		}
		if (webhook == null) {
			throw new WebhookRejectedException(Reason.MALFORMED, "The webhook body is not a JSON object");
		}
		String type = delivery.eventType();
		WebhookBody.Subject subject = webhook.data();
		boolean sessionEvent = type != null && type.startsWith("session.") && subject != null
				&& (subject.type() == null || "session".equals(subject.type()));
		return (sessionEvent && SessionIds.isValid(subject.id())) ? subject.id() : null;
	}

	private Outcome apply(Delivery delivery, String sessionId) {
		if (!this.deliveries.record(delivery.id(), delivery.eventType(), this.clock.instant())) {
			return Outcome.DUPLICATE;
		}
		if (sessionId == null) {
			return Outcome.IGNORED;
		}
		if (makeDue(sessionId)) {
			return Outcome.ACCEPTED;
		}
		if (this.discovery && SESSION_CREATED.equals(delivery.eventType())) {
			this.tracking.track(sessionId);
			logger.info("Tracking {}, announced by a {} webhook", sessionId, SESSION_CREATED);
			return Outcome.ACCEPTED;
		}
		return Outcome.IGNORED;
	}

	/**
	 * Hands the session to the schedule: due at once, polled by the next tick. Whether it
	 * is tracked.
	 */
	private boolean makeDue(String sessionId) {
		return this.tracking.requestSyncIfTracked(sessionId);
	}

	/**
	 * The headers of a delivery, as sent.
	 *
	 * @param id {@code webhook-id}, stable across retries
	 * @param timestamp {@code webhook-timestamp}, Unix seconds
	 * @param signature {@code webhook-signature}, space-separated {@code v1,<base64>}
	 * @param eventType {@code webhook-event-type}, e.g. {@code session.status_idled}
	 */
	record Delivery(String id, String timestamp, String signature, String eventType) {
	}

	/** What became of a delivery. */
	enum Outcome {

		/** A tracked session was made due, or a new one tracked. */
		ACCEPTED,
		/** A webhook id seen before: nothing changed. */
		DUPLICATE,
		/** Refused: too large, unsigned, stale or malformed. */
		REJECTED,
		/**
		 * Verified, but no tracked session to act on (an unknown type, an untracked
		 * session).
		 */
		IGNORED

	}

}
