package io.qoderevents.web;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.http.HttpServletResponse;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Runs a read handler once more when it met a connection the database dropped (a
 * failover, a restart, a terminated backend), on a fresh connection: the pool's other
 * idle connections went with the same server, so they are evicted first. Not once the
 * response is committed: bytes already sent cannot be taken back.
 */
class ReadRetryInterceptor implements MethodInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(ReadRetryInterceptor.class);

	private final ObjectProvider<DataSource> dataSource;

	private final RetryTemplate retry;

	ReadRetryInterceptor(ObjectProvider<DataSource> dataSource) {
		this.dataSource = dataSource;
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(1)
			.delay(Duration.ZERO)
			.predicate((failure) -> DatabaseFailures.connectionLost(failure) && !committed())
			.build();
		this.retry = new RetryTemplate(policy);
		this.retry.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable) {
				prepareRetry(retryable.getName());
			}

		});
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		ProxyMethodInvocation proxied = (ProxyMethodInvocation) invocation;
		String name = invocation.getMethod().getDeclaringClass().getSimpleName() + "."
				+ invocation.getMethod().getName();
		try {
			return this.retry.execute(new Retryable<>() {

				@Override
				public Object execute() throws Throwable {
					return proxied.invocableClone().proceed();
				}

				@Override
				public String getName() {
					return name;
				}

			});
		}
		catch (RetryException ex) {
			throw ex.getCause();
		}
	}

	private void prepareRetry(String handler) {
		logger.warn("{} met a connection the database dropped; evicting the pool's idle connections and retrying once",
				handler);
		HikariDataSource pool = hikari();
		if (pool != null && pool.getHikariPoolMXBean() != null) {
			pool.getHikariPoolMXBean().softEvictConnections();
		}
		HttpServletResponse response = response();
		if (response != null) {
			response.resetBuffer();
		}
	}

	private HikariDataSource hikari() {
		DataSource source = this.dataSource.getIfAvailable();
		try {
			return (source != null && source.isWrapperFor(HikariDataSource.class))
					? source.unwrap(HikariDataSource.class) : null;
		}
		catch (java.sql.SQLException ex) {
			return null;
		}
	}

	private static boolean committed() {
		HttpServletResponse response = response();
		return response != null && response.isCommitted();
	}

	private static HttpServletResponse response() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getResponse() : null;
	}

}
