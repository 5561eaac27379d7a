package io.qoderevents.config;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * A start-up that fails because PostgreSQL cannot be reached, refuses the login or lacks
 * the database: says which database, why, and what to set.
 */
class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	static final String ACTION = "Point spring.datasource.url (SPRING_DATASOURCE_URL) at a reachable PostgreSQL"
			+ " database, with spring.datasource.username and spring.datasource.password (SPRING_DATASOURCE_USERNAME,"
			+ " SPRING_DATASOURCE_PASSWORD). To try the service without one, run the demo: ./mvnw spring-boot:test-run";

	private final Environment environment;

	DatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		String state = cause.getSQLState();
		boolean unreachable = state != null
				&& (state.startsWith("08") || state.startsWith("28") || state.equals("3D000"));
		if (!unreachable) {
			return null;
		}
		String url = this.environment.getProperty("spring.datasource.url", "(no spring.datasource.url)");
		// the query may hold a password
		String database = url.replaceFirst("\\?.*", "");
		return new FailureAnalysis("Cannot use the PostgreSQL database " + database + ": " + cause.getMessage(), ACTION,
				cause);
	}

}
