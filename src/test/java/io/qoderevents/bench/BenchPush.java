package io.qoderevents.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import io.qoderevents.webhooks.WebhookSignatures;

/**
 * What the benchmark upstream pushes about its live sessions: the event stream
 * ({@code GET /sessions/{id}/events/stream}, resumed after {@code Last-Event-ID}, each
 * event written when it appears, a heartbeat comment every few seconds) and, once a
 * target is set, a signed webhook when a turn starts ({@code session.status_run_started})
 * and when it ends ({@code session.status_idled}), as the real upstream sends them.
 */
final class BenchPush {

	private static final long HEARTBEAT_MILLIS = 3_000;

	private static final long SCAN_MILLIS = 20;

	private final AtomicReference<LiveSessions> live;

	private final AtomicReference<Target> target = new AtomicReference<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong streams = new AtomicLong();

	private final AtomicLong ids = new AtomicLong();

	private final AtomicLong replayed = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong openLagMillis = new AtomicLong();

	private LiveSessions scanned = LiveSessions.NONE;

	private long[] announced = new long[0];

	BenchPush(AtomicReference<LiveSessions> live) {
		this.live = live;
	}

	/** Starts looking for turns to announce, every {@value #SCAN_MILLIS} ms. */
	void start() {
		ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "bench-webhooks");
			thread.setDaemon(true);
			return thread;
		});
		scanner.scheduleWithFixedDelay(this::announce, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
	}

	/** Webhooks go to this URL signed with this secret from now on; none when blank. */
	void target(String url, String secret) {
		this.target.set((url == null || url.isBlank()) ? null : new Target(URI.create(url), secret));
	}

	/**
	 * Webhooks sent, webhooks answered 2xx, streams opened, events a stream replayed at
	 * its opening, events written as they appeared, and the sum of the times (ms) from
	 * the start of a stream's turn to its opening.
	 */
	String counts() {
		return this.sent.get() + " " + this.accepted.get() + " " + this.streams.get() + " " + this.replayed.get() + " "
				+ this.written.get() + " " + this.openLagMillis.get();
	}

	/**
	 * Serves the stream of live session {@code index}: 400 for a {@code Last-Event-ID}
	 * that is not one of its visible events, else every later event as it appears, until
	 * the service closes the connection or a new setup replaces this one.
	 */
	void stream(HttpExchange exchange, int index) throws IOException {
		LiveSessions sessions = this.live.get();
		String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
		long now = System.currentTimeMillis();
		long next = sessions.visible(index, now);
		if (last != null) {
			long position = LiveSessions.position(last);
			if (position < 0 || position >= next || !last.equals(sessions.eventId(index, position))) {
				BenchUpstream.write(exchange, 400,
						BenchUpstream.error("invalid_request_error", "Unknown Last-Event-ID"));
				return;
			}
			next = position + 1;
		}
		this.streams.incrementAndGet();
		this.replayed.addAndGet(sessions.visible(index, now) - next);
		this.openLagMillis.addAndGet(now - sessions.eventTime(index, next - next % LiveSessions.PER_TURN));
		long opened = sessions.visible(index, now);
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.getResponseHeaders().set("Cache-Control", "no-cache");
		exchange.getResponseHeaders().set("x-request-id", "req_bench" + System.nanoTime());
		exchange.sendResponseHeaders(200, 0);
		long lastWrite = now;
		try (OutputStream out = exchange.getResponseBody()) {
			while (sameSetup(sessions, this.live.get())) {
				// a stop keeps the setup: it ends the turns
				sessions = this.live.get();
				now = System.currentTimeMillis();
				long visible = sessions.visible(index, now);
				StringBuilder chunk = new StringBuilder();
				this.written.addAndGet(Math.max(0, visible - Math.max(next, opened)));
				for (; next < visible; next++) {
					chunk.append("id: ")
						.append(sessions.eventId(index, next))
						.append("\nevent: ")
						.append(LiveSessions.type(next))
						.append("\ndata: ")
						.append(sessions.eventJson(index, next))
						.append("\n\n");
				}
				if (chunk.isEmpty() && now - lastWrite >= HEARTBEAT_MILLIS) {
					chunk.append(": heartbeat\n\n");
				}
				if (!chunk.isEmpty()) {
					out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
					out.flush();
					lastWrite = now;
				}
				long wake = lastWrite + HEARTBEAT_MILLIS;
				long appears = sessions.eventTime(index, next);
				if (appears <= sessions.end()) {
					wake = Math.min(wake, appears);
				}
				Thread.sleep(Math.max(1, wake - System.currentTimeMillis()));
			}
		}
		catch (IOException ex) {
			// the service closed the stream
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exchange.close();
		}
	}

	/** Sends a webhook for each turn that started or ended since the last look. */
	private void announce() {
		LiveSessions sessions = this.live.get();
		if (!sameSetup(sessions, this.scanned)) {
			this.scanned = sessions;
			this.announced = new long[sessions.live()];
		}
		Target to = this.target.get();
		long now = System.currentTimeMillis();
		for (int i = 0; i < sessions.live(); i++) {
			long visible = sessions.visible(i, now);
			for (long position = this.announced[i]; position < visible; position++) {
				int inTurn = (int) (position % LiveSessions.PER_TURN);
				if (to != null && inTurn == 0) {
					deliver(to, "session.status_run_started", sessions.liveId(i));
				}
				else if (to != null && inTurn == LiveSessions.PER_TURN - 1) {
					deliver(to, "session.status_idled", sessions.liveId(i));
				}
			}
			this.announced[i] = visible;
		}
	}

	private static boolean sameSetup(LiveSessions one, LiveSessions other) {
		return one.run() == other.run() && one.start() == other.start() && one.live() == other.live();
	}

	private void deliver(Target to, String type, String sessionId) {
		String id = "whe_bench" + this.ids.incrementAndGet() + "x" + System.nanoTime();
		Instant now = Instant.now();
		byte[] body = ("{\"type\":\"event\",\"id\":\"" + id + "\",\"created_at\":\"" + now
				+ "\",\"data\":{\"type\":\"session\",\"id\":\"" + sessionId + "\"}}")
			.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(to.url())
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header("webhook-id", id)
			.header("webhook-timestamp", Long.toString(now.getEpochSecond()))
			.header("webhook-signature", WebhookSignatures.sign(to.secret(), id, now.getEpochSecond(), body))
			.header("webhook-event-type", type)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		this.sent.incrementAndGet();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept((response) -> {
			if (response.statusCode() / 100 == 2) {
				this.accepted.incrementAndGet();
			}
		});
	}

	private record Target(URI url, String secret) {
	}

}
