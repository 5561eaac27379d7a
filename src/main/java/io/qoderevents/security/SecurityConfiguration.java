package io.qoderevents.security;

import java.io.IOException;

import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.web.ProblemDetails;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * API keys on {@code /api/**}: a {@code read} key for GET, an {@code admin} key for
 * everything. Health, metrics and info are served on the separate management port and
 * need no key, nor does the upstream's signed webhook. Outside the demo profile the
 * service refuses to start with authentication on and no keys, or with a clear-text key
 * shorter than {@value ApiKeys#MIN_LENGTH} characters.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** Authenticated by its signature, not by an API key. */
	private static final String WEBHOOKS = "/api/v1/webhooks/qoder";

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, QoderProperties properties, Environment environment)
			throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling(
					(errors) -> errors.authenticationEntryPoint((request, response, ex) -> unauthorized(response))
						.accessDeniedHandler((request, response, ex) -> ProblemDetails.write(response,
								HttpStatus.FORBIDDEN, "This API key may only read")));
		QoderProperties.Api.Auth auth = properties.api().auth();
		if (!auth.enabled()) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}
		boolean demo = environment.acceptsProfiles(Profiles.of("demo"));
		ApiKeys keys = new ApiKeys(auth.keys(), demo);
		if (keys.isEmpty() && !demo) {
			throw new MissingSettingException(
					"API keys are required and none is configured (qoder.api.auth.keys, environment"
							+ " QODER_API_AUTH_KEYS_0_NAME, _VALUE or _SHA256, _ROLE).",
					"Configure a key: qoder.api.auth.keys[0].name, .value (or .sha256 of the key) and .role=admin"
							+ " (QODER_API_AUTH_KEYS_0_NAME, QODER_API_AUTH_KEYS_0_VALUE, QODER_API_AUTH_KEYS_0_ROLE)."
							+ " Or set qoder.api.auth.enabled=false (QODER_API_AUTH_ENABLED=false) to serve the API"
							+ " without authentication.");
		}
		return http.addFilterBefore(new ApiKeyAuthenticationFilter(keys), AuthorizationFilter.class)
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, WEBHOOKS)
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/api/**")
				.hasRole("READ")
				.requestMatchers(HttpMethod.HEAD, "/api/**")
				.hasRole("READ")
				.requestMatchers("/api/**")
				.hasRole("ADMIN")
				.anyRequest()
				.permitAll())
			.build();
	}

	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> ProblemDetails.write(response, HttpStatus.BAD_REQUEST,
				"The request URL is not acceptable: " + ex.getMessage());
	}

	private static void unauthorized(HttpServletResponse response) throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer");
		ProblemDetails.write(response, HttpStatus.UNAUTHORIZED,
				"A valid API key is required: Authorization: Bearer <key>");
	}

}
