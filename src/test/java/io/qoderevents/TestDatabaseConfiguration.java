package io.qoderevents;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points the datasource at the run's {@link TestDatabase}. Every integration test and the
 * test main use it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

	@Bean
	DynamicPropertyRegistrar testDatabaseProperties() {
		return (registry) -> {
			TestDatabase database = TestDatabase.get();
			registry.add("spring.datasource.url", database::url);
			registry.add("spring.datasource.username", database::username);
			registry.add("spring.datasource.password", database::password);
		};
	}

}
