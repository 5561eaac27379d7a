package io.qoderevents.bench;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency of the read API over the events the ingestion phase stored (30 days of turns
 * with tokens or credits, pauses and errors), and the NDJSON export of the large session
 * with the heap watched while it streams.
 */
final class ApiPhase {

	private static final String SECTION = "3. API latency";

	private static final String[] TYPES = { "agent.tool_use", "session.error", "session.status_idle" };

	private static final String SINCE = BenchEvents.START.toString();

	private static final String UNTIL = BenchEvents.START.plus(BenchEvents.SPAN).toString();

	/**
	 * The export keeps a flat heap when the live heap grows by less than this while it
	 * streams.
	 */
	private static final long FLAT_HEAP_SLACK = 64L * 1024 * 1024;

	private final BenchSettings settings;

	private final BenchService service;

	private final MemorySampler memory;

	private final Results results;

	private final List<BenchEvents.Session> sessions;

	private final BenchEvents.Session exportSession;

	private final ApiLatency api;

	ApiPhase(BenchSettings settings, BenchService service, MemorySampler memory, Results results,
			List<BenchEvents.Session> sessions, BenchEvents.Session exportSession) {
		this.settings = settings;
		this.service = service;
		this.memory = memory;
		this.results = results;
		this.sessions = sessions;
		this.exportSession = exportSession;
		this.api = new ApiLatency(service.port());
	}

	void run() throws Exception {
		long analyze = System.nanoTime();
		this.service.jdbc().sql("vacuum analyze").update();
		System.out.printf("[bench] API latency (vacuum analyze took %.1f s)%n", (System.nanoTime() - analyze) / 1e9);
		this.results.add(SECTION, "fixture", String.format(
				"%s events in %d sessions over 30 days (half in each shape), %s turns, %s usage rows (%s of them model "
						+ "calls), %s error rows; database %s (after vacuum analyze)",
				Results.count(count("event")), this.sessions.size() + 1, Results.count(count("turn")),
				Results.count(count("turn_usage")), Results.count(count("turn_usage where model_requests > 0")),
				Results.count(count("session_error")), Results.mb(this.service.databaseBytes())));
		List<String[]> cursors = cursors();
		timed("one session's events page (limit 100, first or deeper page)", (i) -> {
			String[] deep = cursors.isEmpty() ? null : cursors.get(Math.floorMod(i * 7919, cursors.size()));
			return (i % 2 == 0 || deep == null) ? "/api/v1/sessions/" + session(i) + "/events?limit=100"
					: "/api/v1/sessions/" + deep[0] + "/events?limit=100&cursor=" + encode(deep[1]);
		}, 10.0);
		timed("events across sessions by type and a 1-day window (limit 100)", (i) -> {
			Instant since = BenchEvents.START.plusSeconds(86_400L * Math.floorMod(i * 7, 29));
			return "/api/v1/events?type=" + TYPES[i % TYPES.length] + "&since=" + since + "&until="
					+ since.plusSeconds(86_400) + "&limit=100";
		}, null);
		timed("one session's usage (totals and per turn)", (i) -> "/api/v1/sessions/" + session(i) + "/usage", 10.0);
		timed("usage by day over 30 days", (i) -> "/api/v1/usage?group_by=day&since=" + SINCE + "&until=" + UNTIL,
				50.0);
		timed("usage by model over 30 days", (i) -> "/api/v1/usage?group_by=model&since=" + SINCE + "&until=" + UNTIL,
				50.0);
		timed("errors by type over 30 days", (i) -> "/api/v1/errors?group_by=type&since=" + SINCE + "&until=" + UNTIL,
				50.0);
		export();
	}

	private void timed(String measure, IntFunction<String> paths, Double targetMillis) throws Exception {
		System.out.printf("[bench]   %s%n", measure);
		ApiLatency.Latencies latencies = this.api.measure(paths, this.settings.warmUp(), this.settings.requests(),
				this.settings.requestCap());
		String target = (targetMillis != null) ? "p95 <= " + targetMillis.intValue() + " ms" : "";
		if (latencies.unavailable() != null) {
			this.results.add(SECTION, measure, "not measured: " + latencies.unavailable(), target, null);
			return;
		}
		String value = String.format("p50 %s, **p95 %s**, p99 %s, max %s (n=%d, %s chars/response%s)",
				Results.ms(latencies.p50()), Results.ms(latencies.p95()), Results.ms(latencies.p99()),
				Results.ms(latencies.max()), latencies.count(), Results.count(latencies.meanBytes()),
				(latencies.failures() > 0) ? ", " + latencies.failures() + " answered HTTP " + latencies.failedStatus()
						: "");
		if (targetMillis == null) {
			this.results.add(SECTION, measure, value);
		}
		else {
			this.results.add(SECTION, measure, value, target, latencies.p95() <= targetMillis);
		}
	}

	private void export() throws Exception {
		String path = "/api/v1/sessions/" + this.exportSession.id() + "/events";
		String measure = "NDJSON export of a " + Results.count(this.exportSession.eventCount()) + "-event session";
		System.out.printf("[bench]   %s%n", measure);
		ApiLatency.Export warmUp = this.api.export("/api/v1/sessions/" + session(0) + "/events");
		if (warmUp.status() != 200 || !warmUp.contentType().contains("ndjson")) {
			this.results.add(SECTION, measure, "not measured: HTTP " + warmUp.status() + " " + warmUp.contentType(),
					">= 50,000 events/s", null);
			return;
		}
		long liveBefore = MemorySampler.liveHeap();
		this.memory.reset();
		List<ApiLatency.Export> exports = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			exports.add(this.api.export(path));
		}
		MemorySampler.Peaks peaks = this.memory.peaks();
		exports.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
		ApiLatency.Export median = exports.get(1);
		this.results.add(SECTION, measure,
				String.format("median of 3: %s lines in %.2f s = **%s events/s** (%.1f MB/s)",
						Results.count(median.lines()), median.elapsed().toNanos() / 1e9,
						Results.count(median.perSecond()),
						median.bytes() / 1048576.0 / (median.elapsed().toNanos() / 1e9)),
				">= 50,000 events/s",
				median.perSecond() >= 50_000 && median.lines() == this.exportSession.eventCount());
		boolean flat = peaks.heapAfterGc() <= liveBefore + FLAT_HEAP_SLACK;
		this.results.add("4. memory", "export: live heap before / peak used / peak live after GC",
				Results.mb(liveBefore) + " / " + Results.mb(peaks.heapUsed()) + " / " + Results.mb(peaks.heapAfterGc()),
				"flat (live + < 64 MB)", flat);
	}

	private List<String[]> cursors() throws Exception {
		JsonMapper json = JsonMapper.shared();
		List<String[]> cursors = new ArrayList<>();
		for (int s = 0; s < Math.min(20, this.sessions.size()); s++) {
			String session = session(s);
			String cursor = null;
			for (int page = 0; page < 25; page++) {
				HttpResponse<String> response = this.api.get("/api/v1/sessions/" + session + "/events?limit=100"
						+ ((cursor != null) ? "&cursor=" + encode(cursor) : ""));
				if (response.statusCode() != 200) {
					return cursors;
				}
				JsonNode next = json.readTree(response.body()).path("next_cursor");
				if (!next.isString()) {
					break;
				}
				cursor = next.asString();
				cursors.add(new String[] { session, cursor });
			}
		}
		return cursors;
	}

	private String session(int i) {
		return this.sessions.get(Math.floorMod(i * 31, this.sessions.size())).id();
	}

	private long count(String table) {
		return this.service.jdbc().sql("select count(*) from " + table).query(Long.class).single();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
