package io.qoderevents.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qoderevents.webhooks.WebhookSignatures;

/**
 * The benchmark's Qoder API: {@link BenchEvents} pages and session objects ({@code GET
 * /sessions/{id}}, which the service reads after a poll that stored events) served over
 * HTTP by a JVM of its own, so that its CPU and memory are not counted as the service's.
 * {@code GET /bench/delay?ms=50} delays every later answer; the process ends when its
 * standard input closes.
 */
public final class BenchUpstream {

	private static final String EVENTS_PATH = "/api/v1/cloud/sessions/";

	private static final String LIST_PATH = "/api/v1/cloud/sessions";

	private BenchUpstream() {
	}

	public static void main(String[] args) throws IOException {
		BenchEvents events = new BenchEvents(Long.parseLong(args[0]));
		AtomicLong delayMillis = new AtomicLong();
		AtomicLong requests = new AtomicLong();
		AtomicLong sessionRequests = new AtomicLong();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		AtomicReference<LiveSessions> live = new AtomicReference<>(LiveSessions.NONE);
		BenchPush push = new BenchPush(live);
		push.start();
		server.createContext(EVENTS_PATH, (exchange) -> {
			String[] path = exchange.getRequestURI().getPath().substring(EVENTS_PATH.length()).split("/");
			boolean stream = path.length == 3 && path[1].equals("events") && path[2].equals("stream");
			if (!stream) {
				((path.length == 1) ? sessionRequests : requests).incrementAndGet();
			}
			sleep(delayMillis.get());
			LiveSessions current = live.get();
			if (stream && current.liveIndex(path[0]) >= 0) {
				push.stream(exchange, current.liveIndex(path[0]));
			}
			else if (stream) {
				write(exchange, 404, error("not_found_error", "Session not found"));
			}
			else if (!answerLive(exchange, current, path)) {
				answer(exchange, events, path);
			}
		});
		server.createContext(LIST_PATH, (exchange) -> {
			sleep(delayMillis.get());
			list(exchange, live.get());
		});
		server.createContext("/bench/live", (exchange) -> {
			Map<String, String> query = query(exchange);
			LiveSessions current = live.get();
			if (query.containsKey("stop")) {
				live.set(new LiveSessions(current.idleIds(), current.run(), current.live(), current.turnMillis(),
						current.start(), System.currentTimeMillis()));
			}
			else {
				int first = Integer.parseInt(query.get("first"));
				List<String> idle = new ArrayList<>();
				for (int i = 0; i < Integer.parseInt(query.get("idle")); i++) {
					idle.add(events.sessionId(first + i, 1));
				}
				long now = System.currentTimeMillis();
				live.set(new LiveSessions(idle, Integer.parseInt(query.get("run")), Integer.parseInt(query.get("live")),
						Long.parseLong(query.get("turn-ms")), now, Long.MAX_VALUE));
			}
			write(exchange, 200, live.get().start() + " " + live.get().end());
		});
		server.createContext("/bench/webhooks", (exchange) -> {
			Map<String, String> query = query(exchange);
			push.target(query.get("url"), query.get("secret"));
			write(exchange, 200, "{}");
		});
		server.createContext("/bench/push", (exchange) -> write(exchange, 200, push.counts()));
		server.createContext("/bench/delay", (exchange) -> {
			delayMillis.set(Long.parseLong(query(exchange).getOrDefault("ms", "0")));
			write(exchange, 200, "{}");
		});
		server.createContext("/bench/requests", (exchange) -> write(exchange, 200, String.valueOf(requests.get())));
		server.createContext("/bench/session-requests",
				(exchange) -> write(exchange, 200, String.valueOf(sessionRequests.get())));
		server.setExecutor(Executors.newFixedThreadPool(256));
		server.start();
		System.out.println("listening " + server.getAddress().getPort());
		System.out.flush();
		while (System.in.read() != -1) {
			// runs until the benchmark closes our standard input or ends
		}
		server.stop(0);
		System.exit(0);
	}

	/** Starts the upstream in a new JVM on a free loopback port. */
	static Running start(long seed) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		String classPath;
		try {
			// the test classes, and the main classes for the webhook signatures
			classPath = Path.of(BenchUpstream.class.getProtectionDomain().getCodeSource().getLocation().toURI())
					+ File.pathSeparator
					+ Path.of(WebhookSignatures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		// without TCP_NODELAY the server's separate header and body writes meet delayed
		// ACKs: +40 ms per answer
		Process process = new ProcessBuilder(java, "-Xmx256m", "-Dsun.net.httpserver.nodelay=true", "-cp", classPath,
				BenchUpstream.class.getName(), Long.toString(seed))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		if (line == null || !line.startsWith("listening ")) {
			process.destroyForcibly();
			throw new IllegalStateException("The benchmark upstream did not start: " + line);
		}
		return new Running(process, Integer.parseInt(line.substring(10).trim()));
	}

	/** {@code path}: the request path after {@code /sessions/}, split at slashes. */
	private static void answer(HttpExchange exchange, BenchEvents events, String[] path) throws IOException {
		BenchEvents.Session session = (path.length == 1 || (path.length == 2 && path[1].equals("events")))
				? BenchEvents.session(path[0]) : null;
		if (session == null) {
			write(exchange, 404, error("not_found_error", "Session not found"));
			return;
		}
		if (path.length == 1) {
			write(exchange, 200, events.sessionJson(session));
			return;
		}
		Map<String, String> query = query(exchange);
		int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
		String after = query.get("after_id");
		int from = (after != null) ? BenchEvents.position(session, after) + 1 : 0;
		if (limit < 1 || limit > 100 || (after != null && from == 0)) {
			write(exchange, 400, error("invalid_request_error", "Invalid limit or after_id"));
			return;
		}
		int to = Math.min(session.eventCount(), from + limit);
		List<BenchEvents.Event> page = events.events(session, from, to);
		StringBuilder body = new StringBuilder(page.size() * 1400 + 200).append("{\"data\":[");
		for (int i = 0; i < page.size(); i++) {
			body.append((i > 0) ? "," : "").append(page.get(i).json());
		}
		String first = page.isEmpty() ? "null" : "\"" + page.get(0).id() + "\"";
		String last = page.isEmpty() ? "null" : "\"" + page.get(page.size() - 1).id() + "\"";
		body.append("],\"first_id\":").append(first).append(",\"last_id\":").append(last);
		body.append(",\"has_more\":").append(to < session.eventCount()).append(",\"next_page\":null}");
		write(exchange, 200, body.toString());
	}

	/** Answers a request about a live session; false when the session is not one. */
	private static boolean answerLive(HttpExchange exchange, LiveSessions live, String[] path) throws IOException {
		int index = live.liveIndex(path[0]);
		if (index < 0) {
			return false;
		}
		long now = System.currentTimeMillis();
		if (path.length == 1) {
			write(exchange, 200, live.sessionJson(index, now));
			return true;
		}
		String after = query(exchange).get("after_id");
		long from = (after != null) ? LiveSessions.position(after) + 1 : 0;
		long visible = live.visible(index, now);
		long to = Math.min(visible, from + 100);
		StringBuilder body = new StringBuilder("{\"data\":[");
		for (long i = from; i < to; i++) {
			body.append((i > from) ? "," : "").append(live.eventJson(index, i));
		}
		String last = (to > from) ? "\"" + live.eventId(index, to - 1) + "\"" : "null";
		body.append("],\"last_id\":").append(last).append(",\"has_more\":").append(to < visible).append('}');
		write(exchange, 200, body.toString());
		return true;
	}

	/** {@code GET /sessions}: live sessions first, then the idle ones, 100 a page. */
	private static void list(HttpExchange exchange, LiveSessions live) throws IOException {
		List<String> statuses = new ArrayList<>();
		String raw = exchange.getRequestURI().getRawQuery();
		for (String pair : (raw != null) ? raw.split("&") : new String[0]) {
			String name = URLDecoder.decode(pair.substring(0, Math.max(0, pair.indexOf('='))), StandardCharsets.UTF_8);
			if (name.equals("statuses[]")) {
				statuses.add(URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
			}
		}
		List<String> all = live.list(System.currentTimeMillis(), statuses);
		String after = query(exchange).get("after_id");
		int from = 0;
		if (after != null) {
			String key = "{\"id\":\"" + after + "\"";
			for (int i = 0; i < all.size(); i++) {
				if (all.get(i).startsWith(key)) {
					from = i + 1;
					break;
				}
			}
		}
		int to = Math.min(all.size(), from + 100);
		StringBuilder body = new StringBuilder(to * 300 + 100).append("{\"data\":[");
		for (int i = from; i < to; i++) {
			body.append((i > from) ? "," : "").append(all.get(i));
		}
		String last = (to > from) ? "\"" + all.get(to - 1).substring(7, 44) + "\"" : "null";
		body.append("],\"last_id\":").append(last).append(",\"has_more\":").append(to < all.size()).append('}');
		write(exchange, 200, body.toString());
	}

	static String error(String type, String message) {
		return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
	}

	private static Map<String, String> query(HttpExchange exchange) {
		Map<String, String> query = new HashMap<>();
		String raw = exchange.getRequestURI().getRawQuery();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return query;
	}

	static void write(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.getResponseHeaders().set("x-request-id", "req_bench" + System.nanoTime());
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void sleep(long millis) {
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A started upstream.
	 *
	 * @param process its JVM
	 * @param port its loopback port
	 */
	record Running(Process process, int port) implements AutoCloseable {

		private static final HttpClient http = HttpClient.newHttpClient();

		/** The base URL the service's client is configured with. */
		String baseUrl() {
			return "http://127.0.0.1:" + this.port + "/api/v1/cloud";
		}

		/**
		 * Lists {@code idle} sessions of {@link BenchEvents} from number {@code first}
		 * and starts {@code live} sessions of setup {@code run} playing a turn every
		 * {@code turn} (see {@link LiveSessions}); returns the instant (epoch ms) they
		 * started at.
		 */
		long startLive(int run, int first, int idle, int live, Duration turn) {
			return Long.parseLong(control("/bench/live?run=" + run + "&first=" + first + "&idle=" + idle + "&live="
					+ live + "&turn-ms=" + turn.toMillis())
				.trim()
				.split(" ")[0]);
		}

		/**
		 * Sends the live sessions' webhooks to {@code url}, signed with {@code secret};
		 * none when {@code url} is empty.
		 */
		void webhooks(String url, String secret) {
			control("/bench/webhooks?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + "&secret="
					+ URLEncoder.encode(secret, StandardCharsets.UTF_8));
		}

		/** Webhooks sent, webhooks the service answered 2xx, event streams opened. */
		long[] pushed() {
			return Arrays.stream(control("/bench/push").trim().split(" ")).mapToLong(Long::parseLong).toArray();
		}

		/**
		 * Stops the live sessions' turns; returns the instant (epoch ms) they stopped at.
		 */
		long stopLive() {
			return Long.parseLong(control("/bench/live?stop=1").trim().split(" ")[1]);
		}

		/** Delays every later answer. */
		void delay(Duration delay) {
			control("/bench/delay?ms=" + delay.toMillis());
		}

		/** Event requests answered so far. */
		long requests() {
			return Long.parseLong(control("/bench/requests").trim());
		}

		/** Session requests ({@code GET /sessions/{id}}) answered so far. */
		long sessionRequests() {
			return Long.parseLong(control("/bench/session-requests").trim());
		}

		/** CPU time the upstream JVM has used. */
		Duration cpu() {
			return this.process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
		}

		private String control(String path) {
			try {
				HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
					.build();
				return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() throws IOException, InterruptedException {
			this.process.getOutputStream().close();
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
