package io.qoderevents.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Sequential requests against the service's REST API from one client thread, timed from
 * sending the request to reading the whole body: warm-up first, then at least the
 * requested count unless the time cap ends it.
 */
final class ApiLatency {

	/** Warm-up of a slow request ends after this long (and at least 5 requests). */
	private static final Duration WARM_UP_CAP = Duration.ofSeconds(20);

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String baseUrl;

	ApiLatency(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	/** GETs a path and returns the status and body. */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(request(path, "application/json"), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Times requests.
	 * @param paths the path of the i-th request
	 * @param warmUp untimed requests first (fewer for slow requests: at most 20 s of
	 * them)
	 * @param count timed requests wanted
	 * @param cap stops timing after this long even with fewer requests
	 */
	Latencies measure(IntFunction<String> paths, int warmUp, int count, Duration cap)
			throws IOException, InterruptedException {
		int failures = 0;
		Integer failedStatus = null;
		long bytes = 0;
		long warmUpEnd = System.nanoTime() + WARM_UP_CAP.toNanos();
		for (int i = 0; i < warmUp && (i < 5 || System.nanoTime() < warmUpEnd); i++) {
			HttpResponse<String> response = get(paths.apply(i));
			if (response.statusCode() != 200) {
				return Latencies.unavailable(response.statusCode(), response.body());
			}
		}
		long[] nanos = new long[count];
		int done = 0;
		long deadline = System.nanoTime() + cap.toNanos();
		while (done < count && System.nanoTime() < deadline) {
			String path = paths.apply(warmUp + done);
			long start = System.nanoTime();
			HttpResponse<String> response = get(path);
			nanos[done++] = System.nanoTime() - start;
			bytes += response.body().length();
			if (response.statusCode() != 200) {
				failures++;
				failedStatus = response.statusCode();
			}
		}
		long[] timed = Arrays.copyOf(nanos, done);
		Arrays.sort(timed);
		return new Latencies(done, percentile(timed, 50), percentile(timed, 95), percentile(timed, 99),
				(done > 0) ? timed[done - 1] / 1e6 : 0, (done > 0) ? bytes / done : 0, failures, failedStatus, null);
	}

	/** Streams an NDJSON export and returns its lines, bytes and duration. */
	Export export(String path) throws IOException, InterruptedException {
		long start = System.nanoTime();
		HttpResponse<InputStream> response = this.http.send(request(path, "application/x-ndjson"),
				HttpResponse.BodyHandlers.ofInputStream());
		long lines = 0;
		long bytes = 0;
		byte[] buffer = new byte[64 * 1024];
		try (InputStream body = response.body()) {
			for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
				bytes += read;
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
			}
		}
		return new Export(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), lines, bytes,
				Duration.ofNanos(System.nanoTime() - start));
	}

	private HttpRequest request(String path, String accept) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Accept", accept)
			.timeout(Duration.ofMinutes(5))
			.build();
	}

	private static double percentile(long[] sorted, int percent) {
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)] / 1e6;
	}

	/**
	 * Latencies of one kind of request, in milliseconds.
	 *
	 * @param count timed requests
	 * @param p50 median
	 * @param p95 95th percentile
	 * @param p99 99th percentile
	 * @param max slowest
	 * @param meanBytes mean body length in characters
	 * @param failures timed requests not answered 200
	 * @param failedStatus the status of the last failed one
	 * @param unavailable why nothing was timed (the warm-up failed), or null
	 */
	record Latencies(int count, double p50, double p95, double p99, double max, long meanBytes, int failures,
			Integer failedStatus, String unavailable) {

		static Latencies unavailable(int status, String body) {
			String detail = (body != null) ? body.replaceAll("\\s+", " ") : "";
			return new Latencies(0, 0, 0, 0, 0, 0, 0, status,
					"HTTP " + status + " " + detail.substring(0, Math.min(160, detail.length())));
		}

	}

	/**
	 * One export.
	 *
	 * @param status the HTTP status
	 * @param contentType the response's content type
	 * @param lines lines received
	 * @param bytes bytes received
	 * @param elapsed from sending the request to the end of the body
	 */
	record Export(int status, String contentType, long lines, long bytes, Duration elapsed) {

		double perSecond() {
			return this.lines / (this.elapsed.toNanos() / 1e9);
		}

	}

	/** Cursors met while paging, to time pages deep inside sessions too. */
	static final class Cursors {

		private final List<String> values = new ArrayList<>();

		void add(String cursor) {
			if (cursor != null && !cursor.isBlank()) {
				this.values.add(cursor);
			}
		}

		String get(int i) {
			return this.values.isEmpty() ? null : this.values.get(Math.floorMod(i * 7919, this.values.size()));
		}

		int size() {
			return this.values.size();
		}

	}

}
