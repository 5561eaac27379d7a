package io.qoderevents.webhooks;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code qoder.webhooks.secret} is set and not blank. */
class WebhooksEnabled implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Binder.get(context.getEnvironment())
			.bind("qoder.webhooks.secret", String.class)
			.map((secret) -> !secret.isBlank())
			.orElse(false);
	}

}
