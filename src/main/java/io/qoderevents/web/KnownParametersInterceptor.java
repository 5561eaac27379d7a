package io.qoderevents.web;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.BeanUtils;
import org.springframework.core.MethodParameter;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.BindParam;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses query parameters the handler does not declare with 400 naming them and the
 * accepted ones, so that a typo ({@code sessionid=}) is not silently read as "no filter".
 * A handler's parameters are read once from its signature: {@code @RequestParam}
 * arguments and the components of bound records (their {@code @BindParam} names).
 */
class KnownParametersInterceptor implements HandlerInterceptor {

	private static final String PREFIX_MARK = "*";

	private final Map<Method, Set<String>> accepted = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		Set<String> names = this.accepted.computeIfAbsent(method.getMethod(), (key) -> accepted(method));
		List<String> unknown = request.getParameterMap()
			.keySet()
			.stream()
			.filter((name) -> !accepts(names, name))
			.sorted()
			.toList();
		if (unknown.isEmpty()) {
			return true;
		}
		ProblemDetails.write(response, problem(unknown, names));
		return false;
	}

	/**
	 * Whether the name is accepted: one of the names, or it starts with a prefix (an
	 * accepted name ending in {@code *}).
	 */
	private static boolean accepts(Set<String> names, String name) {
		if (names.contains(name)) {
			return true;
		}
		for (String accepted : names) {
			if (accepted.endsWith(PREFIX_MARK) && name.startsWith(accepted.substring(0, accepted.length() - 1))) {
				return true;
			}
		}
		return false;
	}

	private static ProblemDetail problem(List<String> unknown, Set<String> accepted) {
		String list = accepted.isEmpty() ? "none" : String.join(", ", accepted);
		String message = "is not a parameter of this endpoint; accepted: " + list;
		List<Map<String, String>> errors = unknown.stream()
			.map((name) -> Map.of("field", name, "message", message))
			.toList();
		ProblemDetail problem = ProblemDetails.invalid("Unknown query parameter" + ((unknown.size() > 1) ? "s " : " ")
				+ String.join(", ", unknown) + "; this endpoint accepts: " + list, errors);
		problem.setProperty("accepted_parameters", List.copyOf(accepted));
		return problem;
	}

	/**
	 * The request parameter names of a handler, in declaration order.
	 */
	private static Set<String> accepted(HandlerMethod method) {
		Set<String> names = new LinkedHashSet<>();
		for (MethodParameter parameter : method.getMethodParameters()) {
			names.addAll(names(parameter));
		}
		return names;
	}

	private static List<String> names(MethodParameter parameter) {
		PrefixedParameters prefixed = parameter.getParameterAnnotation(PrefixedParameters.class);
		if (prefixed != null) {
			return List.of(prefixed.value() + PREFIX_MARK);
		}
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null) {
			return List.of(param.name().isEmpty() ? String.valueOf(parameter.getParameterName()) : param.name());
		}
		Class<?> type = parameter.getParameterType();
		if (boundElsewhere(parameter)) {
			return List.of();
		}
		if (type.isRecord()) {
			return components(type);
		}
		return BeanUtils.isSimpleProperty(type) ? List.of(String.valueOf(parameter.getParameterName())) : List.of();
	}

	/** Path variables, bodies, headers, the servlet request and response. */
	private static boolean boundElsewhere(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return parameter.hasParameterAnnotation(PathVariable.class)
				|| parameter.hasParameterAnnotation(RequestBody.class)
				|| parameter.hasParameterAnnotation(RequestHeader.class) || ServletRequest.class.isAssignableFrom(type)
				|| ServletResponse.class.isAssignableFrom(type);
	}

	/**
	 * The names a record binds from: each component's {@code @BindParam}, else its name.
	 */
	private static List<String> components(Class<?> record) {
		RecordComponent[] components = record.getRecordComponents();
		Parameter[] constructor;
		try {
			constructor = record
				.getDeclaredConstructor(
						Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
				.getParameters();
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < components.length; i++) {
			BindParam bind = constructor[i].getAnnotation(BindParam.class);
			names.add((bind != null) ? bind.value() : components[i].getName());
		}
		return names;
	}

}
