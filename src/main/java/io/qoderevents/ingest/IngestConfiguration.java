package io.qoderevents.ingest;

import io.qoderevents.config.QoderProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The poll workers. Not a default candidate, so Boot's {@code applicationTaskExecutor}
 * stays as it is; Spring waits for running polls when it shuts the pool down, after
 * {@link IngestService} has told them to stop at their next page boundary.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

	static final String POLL_EXECUTOR = "pollExecutor";

	@Bean(name = POLL_EXECUTOR, defaultCandidate = false)
	ThreadPoolTaskExecutor pollExecutor(QoderProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.ingest().concurrency());
		executor.setMaxPoolSize(properties.ingest().concurrency());
		executor.setThreadNamePrefix("qoder-poll-");
		executor.setDaemon(true);
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(20);
		return executor;
	}

}
