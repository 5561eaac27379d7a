package io.qoderevents.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a query string (or form) that is not valid percent-encoding with 400 naming the
 * parameter, before anything reads a parameter: Tomcat refuses such parameters only when
 * they are first read, deep in a handler, which would otherwise answer 500. Registered on
 * the API port and on the management port.
 */
class QueryEncodingFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(QueryEncodingFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			request.getParameterMap();
		}
		catch (InvalidParameterException ex) {
			logger.debug("Refused malformed request parameters", ex);
			ProblemDetails.write(response, malformed(request.getQueryString()));
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * The 400 for a query string Tomcat could not decode, naming the first parameter
	 * whose value is malformed ({@code query} when a name is).
	 */
	static ProblemDetail malformed(String query) {
		String field = "query";
		if (query != null) {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
				if (name == null) {
					break;
				}
				if (equals >= 0 && decode(pair.substring(equals + 1)) == null) {
					field = name;
					break;
				}
			}
		}
		String message = "is not valid percent-encoding";
		return ProblemDetails.invalid(field, message, field + " " + message);
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
