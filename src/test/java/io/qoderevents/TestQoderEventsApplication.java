package io.qoderevents;

import org.springframework.boot.SpringApplication;

/**
 * Runs the service in demo mode against the test run's PostgreSQL:
 * {@code ./mvnw spring-boot:test-run}.
 */
public final class TestQoderEventsApplication {

	private TestQoderEventsApplication() {
	}

	public static void main(String[] args) {
		SpringApplication.from(QoderEventsApplication::main)
			.with(TestDatabaseConfiguration.class)
			.withAdditionalProfiles("demo")
			.run(args);
	}

}
