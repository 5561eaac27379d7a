package io.qoderevents.config;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class StartupFailureAnalyzerTests {

	private final DatabaseFailureAnalyzer database = new DatabaseFailureAnalyzer(
			new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/q?password=s3cret"));

	@Test
	void missingSettingWhenWrappedInBeanCreationThenItsDescriptionAndAction() {
		MissingSettingException missing = new MissingSettingException("no X (env X)", "set X");
		FailureAnalysis analysis = new MissingSettingFailureAnalyzer()
			.analyze(new BeanCreationException("client", "failed", missing));
		assertThat(analysis.getDescription()).isEqualTo("no X (env X)");
		assertThat(analysis.getAction()).isEqualTo("set X");
	}

	@Test
	void databaseWhenConnectionRefusedThenNamesDatabaseWithoutQueryAndSettings() {
		FailureAnalysis analysis = this.database
			.analyze(new IllegalStateException("flyway", new SQLException("Connection to db:5432 refused.", "08001")));
		assertThat(analysis.getDescription()).isEqualTo(
				"Cannot use the PostgreSQL database jdbc:postgresql://db:5432/q: Connection to db:5432 refused.");
		assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL")
			.contains("spring.datasource.password")
			.doesNotContain("s3cret");
	}

	@Test
	void databaseWhenLoginRefusedOrDatabaseMissingThenAnalyzed() {
		assertThat(this.database.analyze(new SQLException("password authentication failed", "28P01"))).isNotNull();
		assertThat(this.database.analyze(new SQLException("database \"q\" does not exist", "3D000"))).isNotNull();
	}

	@Test
	void databaseWhenOtherSqlFailureThenLeftToOthers() {
		assertThat(this.database.analyze(new SQLException("syntax error", "42601"))).isNull();
		assertThat(this.database.analyze(new SQLException("no state"))).isNull();
		assertThat(this.database.analyze(new IllegalStateException("no SQL at all"))).isNull();
	}

}
