package io.qoderevents.webhooks;

import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets webhook ids older than {@code qoder.webhooks.id-retention}, every
 * {@code cleanup-interval}.
 */
@Component
@Conditional(WebhooksEnabled.class)
class WebhookCleanupJob {

	private final WebhookService webhooks;

	WebhookCleanupJob(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@Scheduled(fixedDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.webhooks().cleanupInterval()}",
			initialDelayString = "#{@'qoder-io.qoderevents.config.QoderProperties'.webhooks().cleanupInterval()}")
	void forgetOldDeliveries() {
		this.webhooks.forgetOldDeliveries();
	}

}
