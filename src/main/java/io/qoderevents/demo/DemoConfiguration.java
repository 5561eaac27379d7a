package io.qoderevents.demo;

import java.time.Clock;
import java.util.Random;
import java.util.function.BiConsumer;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.tracking.TrackingService;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The simulated upstream of the {@code demo} profile and the traffic of its demo
 * sessions.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

	@Bean
	SimulatedQoder simulatedQoder(QoderProperties properties, Clock clock) {
		SimulatedQoder qoder = new SimulatedQoder(properties.demo().token(), clock);
		if (!properties.demo().streamLifetime().isZero()) {
			qoder.streamLifetime(properties.demo().streamLifetime());
		}
		return qoder;
	}

	/**
	 * The demo sessions, continued from the demo database's kept histories before the
	 * service polls them.
	 */
	@Bean
	DemoTraffic demoTraffic(SimulatedQoder qoder, TrackingService tracking, QoderProperties properties, Clock clock,
			JdbcClient jdbc) {
		BiConsumer<String, String> webhooks = (type, sessionId) -> {
		};
		if (properties.demo().webhookUrl() != null && properties.webhooks().enabled()) {
			webhooks = new DemoWebhooks(properties.demo().webhookUrl(), properties.webhooks().secret(), clock)::deliver;
		}
		DemoTraffic traffic = new DemoTraffic(qoder, new DemoEvents(new Random()), tracking::track,
				properties.demo().sessions(), properties.demo().primaryContractSessions(), properties.demo().turnPace(),
				clock, webhooks, new JdbcDemoHistory(jdbc));
		traffic.restore();
		return traffic;
	}

	/**
	 * Ends the simulator's open event streams as shutdown begins, before the web server
	 * waits for its requests to finish, so that the live tail's streams do not hold it.
	 */
	@Bean
	SmartLifecycle simulatedStreamsShutdown(SimulatedQoder qoder) {
		return new SimulatedStreamsShutdown(qoder);
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> demoSeeder(DemoTraffic traffic) {
		return (event) -> traffic.seed();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "qoder.demo.generate", matchIfMissing = true)
	DemoTrafficJob demoTrafficJob(DemoTraffic traffic) {
		return new DemoTrafficJob(traffic);
	}

}
