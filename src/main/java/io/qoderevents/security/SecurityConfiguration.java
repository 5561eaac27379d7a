package io.qoderevents.security;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.qoderevents.config.MissingSettingException;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.console.Console;
import io.qoderevents.web.ProblemDetails;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * API keys on {@code /api/**}: a {@code read} key for GET, an {@code admin} key for
 * everything. Health, metrics and info are served on the separate management port and
 * need no key, nor does the upstream's signed webhook. Outside the demo profile the
 * service refuses to start with authentication on and no keys, or with a clear-text key
 * shorter than {@value ApiKeys#MIN_LENGTH} characters. Cross-origin calls are refused
 * unless their origins are configured. The console's pages and assets need no key (it
 * asks for one and sends it on its API calls) and carry a strict Content-Security-Policy.
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
								HttpStatus.FORBIDDEN, "This API key may only read")))
			.headers((headers) -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(consolePages(),
					new StaticHeadersWriter("Content-Security-Policy", Console.CONTENT_SECURITY_POLICY))));
		List<String> origins = properties.api().cors().allowedOrigins();
		if (!origins.isEmpty()) {
			http.addFilter(corsFilter(origins));
		}
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

	/**
	 * The console's pages and assets, and {@code /} asked for by a browser, which gets
	 * the console.
	 */
	private static RequestMatcher consolePages() {
		List<RequestMatcher> paths = new ArrayList<>();
		for (String path : Console.PATHS) {
			paths.add(PathPatternRequestMatcher.withDefaults().matcher(path));
		}
		MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		paths.add(new AndRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/"), html));
		return new OrRequestMatcher(paths);
	}

	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> ProblemDetails.write(response, HttpStatus.BAD_REQUEST,
				"The request URL is not acceptable: " + ex.getMessage());
	}

	/**
	 * Answers preflights itself, before any key is asked for, and refuses a cross-origin
	 * request from an origin not listed with a 403 problem.
	 */
	private static CorsFilter corsFilter(List<String> origins) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(origins);
		configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE"));
		configuration
			.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT));
		configuration.setExposedHeaders(List.of(HttpHeaders.LOCATION));
		configuration.setMaxAge(Duration.ofHours(1));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", configuration);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new DefaultCorsProcessor() {

			@Override
			protected void rejectRequest(ServerHttpResponse response) throws IOException {
				ProblemDetails.write(((ServletServerHttpResponse) response).getServletResponse(), HttpStatus.FORBIDDEN,
						"This origin may not call the API (qoder.api.cors.allowed-origins)");
			}

		});
		return filter;
	}

	private static void unauthorized(HttpServletResponse response) throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer");
		ProblemDetails.write(response, HttpStatus.UNAUTHORIZED,
				"A valid API key is required: Authorization: Bearer <key>");
	}

}
