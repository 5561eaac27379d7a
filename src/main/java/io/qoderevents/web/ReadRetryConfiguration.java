package io.qoderevents.web;

import javax.sql.DataSource;

import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every read of the API ({@code @GetMapping} methods of {@code @RestController} classes)
 * is retried once on a fresh connection when the database dropped the one it used: one
 * place for every controller, none of which knows.
 */
@Configuration(proxyBeanMethods = false)
class ReadRetryConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ReadRetryPostProcessor readRetryPostProcessor(ObjectProvider<DataSource> dataSource) {
		return new ReadRetryPostProcessor(dataSource);
	}

	/** Proxies the controllers that have read handlers with the retry. */
	static class ReadRetryPostProcessor extends AbstractAdvisingBeanPostProcessor {

		ReadRetryPostProcessor(ObjectProvider<DataSource> dataSource) {
			this.advisor = new DefaultPointcutAdvisor(
					new AnnotationMatchingPointcut(RestController.class, GetMapping.class, true),
					new ReadRetryInterceptor(dataSource));
			setProxyTargetClass(true);
		}

	}

}
