package io.qoderevents;

import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Runs the service in demo mode: {@code ./mvnw spring-boot:test-run}. Its database
 * ({@link TestDatabase#demo}) is kept across restarts, in {@code qoder.demo.data-dir}
 * (default {@code .demo-data}) when PostgreSQL is embedded; {@code qoder.demo.fresh=true}
 * starts clean.
 */
public final class TestQoderEventsApplication {

	private TestQoderEventsApplication() {
	}

	public static void main(String[] args) {
		SpringApplication.from(QoderEventsApplication::main)
			.with(DemoDatabaseConfiguration.class)
			.withAdditionalProfiles("demo")
			.run(args);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class DemoDatabaseConfiguration {

		@Bean
		DynamicPropertyRegistrar demoDatabaseProperties(Environment environment) {
			return (registry) -> {
				TestDatabase database = TestDatabase.demo(
						Path.of(environment.getProperty("qoder.demo.data-dir", ".demo-data")),
						environment.getProperty("qoder.demo.fresh", Boolean.class, false));
				registry.add("spring.datasource.url", database::url);
				registry.add("spring.datasource.username", database::username);
				registry.add("spring.datasource.password", database::password);
			};
		}

	}

}
