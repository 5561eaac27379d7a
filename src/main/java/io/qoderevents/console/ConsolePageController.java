package io.qoderevents.console;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /console}: the browser console, a static page over the public API.
 */
@Hidden
@Controller
class ConsolePageController {

	@GetMapping({ "/console", "/console/" })
	String console() {
		return "forward:" + Console.PAGE;
	}

}
