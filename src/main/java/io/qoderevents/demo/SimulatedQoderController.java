package io.qoderevents.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import reactor.core.Disposable;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/** Serves the {@link SimulatedQoder} over HTTP, answers written verbatim. */
@Hidden
@Profile("demo")
@RestController
@RequestMapping("/demo/upstream/api/v1/cloud/sessions")
class SimulatedQoderController {

	private static final Duration STREAM_TIMEOUT = Duration.ofHours(1);

	private final SimulatedQoder qoder;

	SimulatedQoderController(SimulatedQoder qoder) {
		this.qoder = qoder;
	}

	@GetMapping("/{sessionId}/events")
	ResponseEntity<byte[]> events(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestHeader(name = "Accept", required = false) String accept, @PathVariable String sessionId,
			@RequestParam Map<String, String> query) {
		return write(this.qoder.listEvents(authorization, accept, sessionId, query));
	}

	/**
	 * The event stream, written chunk by chunk as the simulator produces it, without a
	 * thread per stream.
	 */
	@GetMapping("/{sessionId}/events/stream")
	ResponseEntity<?> stream(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
			@PathVariable String sessionId) {
		SimulatedEventStream stream = this.qoder.streamEvents(authorization, sessionId, lastEventId);
		if (stream.frames() == null) {
			return write(stream.head());
		}
		ResponseBodyEmitter emitter = new ResponseBodyEmitter(STREAM_TIMEOUT.toMillis());
		Disposable writing = stream.frames()
			.takeWhile((chunk) -> sent(emitter, chunk))
			.subscribe(null, (ex) -> complete(emitter), () -> complete(emitter));
		emitter.onCompletion(writing::dispose);
		emitter.onTimeout(writing::dispose);
		emitter.onError((ex) -> writing.dispose());
		HttpHeaders headers = new HttpHeaders();
		stream.head().headers().forEach(headers::set);
		return ResponseEntity.ok().headers(headers).body(emitter);
	}

	/** Writes a chunk; false once the client has gone. */
	private static boolean sent(ResponseBodyEmitter emitter, String chunk) {
		try {
			emitter.send(chunk.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_OCTET_STREAM);
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * Ends the response; nothing to end when the client has gone and the container has
	 * already closed it.
	 */
	private static void complete(ResponseBodyEmitter emitter) {
		try {
			emitter.complete();
		}
		catch (IllegalStateException ex) {
			// the request ended with an error (the client went away) before the stream
		}
	}

	@GetMapping("/{sessionId}")
	ResponseEntity<byte[]> session(@RequestHeader(name = "Authorization", required = false) String authorization,
			@PathVariable String sessionId) {
		return write(this.qoder.getSession(authorization, sessionId));
	}

	@GetMapping
	ResponseEntity<byte[]> sessions(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestParam Map<String, String> query,
			@RequestParam(name = "statuses[]", required = false) List<String> statuses) {
		return write(this.qoder.listSessions(authorization, query, statuses));
	}

	private static ResponseEntity<byte[]> write(SimulatedResponse response) {
		HttpHeaders headers = new HttpHeaders();
		response.headers().forEach(headers::set);
		if (!response.body().isEmpty() && headers.getContentType() == null) {
			headers.setContentType(MediaType.APPLICATION_JSON);
		}
		byte[] body = response.body().isEmpty() ? null : response.body().getBytes(StandardCharsets.UTF_8);
		return ResponseEntity.status(response.status()).headers(headers).body(body);
	}

}
