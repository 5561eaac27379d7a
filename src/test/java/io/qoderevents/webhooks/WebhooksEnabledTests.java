package io.qoderevents.webhooks;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's beans exist only with a secret that is not blank. */
class WebhooksEnabledTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(WhenEnabled.class);

	@Test
	void conditionWhenNoSecretOrBlankThenOff() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean("endpoint"));
		this.runner.withPropertyValues("qoder.webhooks.secret=")
			.run((context) -> assertThat(context).doesNotHaveBean("endpoint"));
		this.runner.withPropertyValues("qoder.webhooks.secret=  ")
			.run((context) -> assertThat(context).doesNotHaveBean("endpoint"));
	}

	@Test
	void conditionWhenSecretSetThenOn() {
		this.runner.withPropertyValues("qoder.webhooks.secret=whsec_a2V5")
			.run((context) -> assertThat(context).hasBean("endpoint"));
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebhooksEnabled.class)
	static class WhenEnabled {

		@Bean
		String endpoint() {
			return "on";
		}

	}

}
