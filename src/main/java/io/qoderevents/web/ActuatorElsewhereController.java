package io.qoderevents.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator} on the API port: a 404 that names the management port, where health,
 * metrics and info are served.
 */
@Hidden
@RestController
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ActuatorElsewhereController {

	private final Environment environment;

	ActuatorElsewhereController(Environment environment) {
		this.environment = environment;
	}

	@RequestMapping({ "/actuator", "/actuator/**" })
	ResponseEntity<ProblemDetail> actuator(HttpServletRequest request) {
		String management = IndexController.managementUrl(this.environment, request);
		ProblemDetail problem = ProblemDetails.of(HttpStatus.NOT_FOUND,
				"Actuator endpoints are served on the management port, not here: " + management
						+ request.getRequestURI().substring("/actuator".length()));
		problem.setProperty("management_url", management);
		return ProblemDetails.respond(problem);
	}

}
