package io.qoderevents.webhooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code webhook_delivery} rows: the webhook ids already handled. */
@Repository
class JdbcWebhookRepository {

	private static final String RECORD = """
			insert into webhook_delivery (webhook_id, event_type, received_at) values (:id, :type, :receivedAt)
			on conflict (webhook_id) do nothing
			""";

	private static final String FORGET = "delete from webhook_delivery where received_at < :before";

	private final JdbcClient jdbc;

	JdbcWebhookRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a delivery; false when its id was recorded before (a concurrent insert of
	 * the same id waits for the first to commit or roll back).
	 */
	boolean record(String webhookId, String eventType, Instant receivedAt) {
		return this.jdbc.sql(RECORD)
			.param("id", webhookId)
			.param("type", eventType)
			.param("receivedAt", OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC))
			.update() == 1;
	}

	/** Deletes the deliveries received before the instant; returns how many. */
	int forget(Instant before) {
		return this.jdbc.sql(FORGET).param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC)).update();
	}

}
