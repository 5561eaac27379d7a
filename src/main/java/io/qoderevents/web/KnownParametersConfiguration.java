package io.qoderevents.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Unknown query parameters are refused on every endpoint of the API. */
@Configuration(proxyBeanMethods = false)
class KnownParametersConfiguration implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new KnownParametersInterceptor()).addPathPatterns("/api/**");
	}

}
