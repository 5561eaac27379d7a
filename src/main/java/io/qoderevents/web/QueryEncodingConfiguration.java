package io.qoderevents.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Registers {@link QueryEncodingFilter} first on both ports: component scanning brings
 * this class to the API's context, and {@code ManagementContextConfiguration.imports} to
 * the management port's own context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class QueryEncodingConfiguration {

	@Bean
	FilterRegistrationBean<QueryEncodingFilter> queryEncodingFilter() {
		FilterRegistrationBean<QueryEncodingFilter> registration = new FilterRegistrationBean<>(
				new QueryEncodingFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
