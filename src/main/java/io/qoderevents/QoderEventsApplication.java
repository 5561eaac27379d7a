package io.qoderevents;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Ingests Qoder Cloud Agents session events into PostgreSQL and serves them to
 * dashboards.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class QoderEventsApplication {

	public static void main(String[] args) {
		SpringApplication.run(QoderEventsApplication.class, args);
	}

}
