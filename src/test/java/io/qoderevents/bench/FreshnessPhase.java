package io.qoderevents.bench;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How fresh the service keeps many sessions at the default request cap: idle tracked
 * sessions in the steady state (each read within the last hour, due within the next), a
 * few live ones that play a turn every {@code turn} seconds, the real scheduler and
 * sweep, and an upstream that answers after a delay. Measures the service idle first,
 * then with the live sessions. The {@link Mode} says how the service learns of new
 * events: by polling alone, from the upstream's webhooks, or from its event streams.
 */
final class FreshnessPhase {

	private static final String SECTION = "5. freshness";

	/** Freshness sessions are numbered from here, apart from the other phases'. */
	private static final int FIRST_NUMBER = 2_000_000;

	private static final List<String> PURPOSES = List.of("events", "snapshot", "sweep", "stream");

	/**
	 * The webhook secret of the webhooks mode, as the service and the upstream share it.
	 */
	private static final String SECRET = "whsec_YmVuY2ggd2ViaG9vayBrZXkgZm9yIHFvZGVyLWV2ZW50cw==";

	private static final String LIVE_TAIL_SETTING = "qoder.ingest.live-tail.enabled";

	private static final String SECRET_SETTING = "qoder.webhooks.secret";

	private static final String INSERT = """
			insert into tracked_session (session_id, cursor, event_count, active_at, last_polled_at, last_success_at,
			                             next_poll_at, polled_status, polled_updated_at)
			values (?, ?, 1, now() - interval '1 day', now() - ? * interval '1 second', now() - ? * interval '1 second',
			        now() + ? * interval '1 second', 'idle', '2026-01-01T00:00:00Z')
			""";

	private static final String SNAPSHOT = """
			insert into session_snapshot (session_id, status, model, updated_at, read_at)
			values (?, 'idle', 'ultimate', '2026-01-01T00:00:00Z', now() - interval '1 minute')
			""";

	/** How the service learns of new events. */
	enum Mode {

		/** The adaptive schedule and the sweep of the session list, nothing pushed. */
		POLL(Map.of(SECRET_SETTING, "", LIVE_TAIL_SETTING, "false"), 10_000, 0),

		/**
		 * As {@link #POLL}, and the upstream sends a signed webhook when a live turn
		 * starts and when it ends.
		 */
		WEBHOOKS(Map.of(SECRET_SETTING, SECRET, LIVE_TAIL_SETTING, "false"), 3_000, 0),

		/**
		 * As {@link #POLL}, and running sessions are read from the upstream's event
		 * stream; the target is for the events of a running session: those that appear
		 * after the service stored their turn's {@code session.status_running}.
		 */
		LIVE_TAIL(Map.of(SECRET_SETTING, "", LIVE_TAIL_SETTING, "true"), 0, 1_000),

		/**
		 * Both, as the demo and a production setup with a webhook secret run: a webhook
		 * announces a turn, and the running session is streamed.
		 */
		PUSH(Map.of(SECRET_SETTING, SECRET, LIVE_TAIL_SETTING, "true"), 3_000, 1_000);

		private final Map<String, String> settings;

		/** The p95 target for all live sessions' events; 0 for none. */
		private final long targetMillis;

		/** The p95 target for the events of running sessions; 0 for none. */
		private final long runningTargetMillis;

		Mode(Map<String, String> settings, long targetMillis, long runningTargetMillis) {
			this.settings = settings;
			this.targetMillis = targetMillis;
			this.runningTargetMillis = runningTargetMillis;
		}

		boolean webhooks() {
			return !this.settings.get(SECRET_SETTING).isEmpty();
		}

		boolean liveTail() {
			return Boolean.parseBoolean(this.settings.get(LIVE_TAIL_SETTING));
		}

		/**
		 * The mode named {@code poll}, {@code webhooks}, {@code live-tail} or
		 * {@code push}.
		 */
		static Mode of(String name) {
			return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
		}

		Map<String, String> settings() {
			return this.settings;
		}

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

	private final BenchSettings settings;

	private final BenchUpstream.Running upstream;

	private final BenchEvents events;

	private final Results results;

	/** Runs so far: each run's live sessions have ids of their own. */
	private int runs;

	FreshnessPhase(BenchSettings settings, BenchUpstream.Running upstream, BenchEvents events, Results results) {
		this.settings = settings;
		this.upstream = upstream;
		this.events = events;
		this.results = results;
	}

	/** Replaces every tracked session by the idle ones, in the steady state. */
	void prepare(BenchService service) {
		service.jdbc().sql("truncate tracked_session, session_snapshot, job_lease").update();
		List<Object[]> rows = new ArrayList<>();
		List<Object[]> snapshots = new ArrayList<>();
		// the schedule's steady state: a session quiet for a day is read every 59 minutes
		// (idle-poll-interval less a sixtieth), the idle ones spread evenly over that
		long interval = Duration.ofMinutes(59).toSeconds();
		for (int i = 0; i < this.settings.freshnessIdle(); i++) {
			BenchEvents.Session session = BenchEvents.session(this.events.sessionId(FIRST_NUMBER + i, 1));
			long due = ThreadLocalRandom.current().nextLong(interval);
			rows.add(new Object[] { session.id(), this.events.events(session, 0, 1).get(0).id(), interval - due,
					interval - due, due });
			snapshots.add(new Object[] { session.id() });
		}
		service.jdbcTemplate().batchUpdate(INSERT, rows);
		service.jdbcTemplate().batchUpdate(SNAPSHOT, snapshots);
		// the last full sweep 4 minutes ago: the first one comes about a minute in
		service.jdbc()
			.sql("insert into job_lease (name, owner, lease_until, full_at) values ('sweep', 'bench', now(),"
					+ " now() - interval '4 minutes')")
			.update();
		service.jdbc().sql("analyze tracked_session").update();
		service.jdbc().sql("analyze session_snapshot").update();
	}

	/** Runs the service with its scheduler on: idle, then with the live sessions. */
	void run(Mode mode) throws Exception {
		Map<String, String> serviceSettings = new java.util.LinkedHashMap<>();
		serviceSettings.put("qoder.ingest.enabled", "true");
		serviceSettings.put("qoder.upstream.max-requests-per-second", "10");
		serviceSettings.put("qoder.ingest.poll-interval", "5s");
		// the demo profile BenchService starts with reads snapshots every 5 s; the
		// default is 1 minute
		serviceSettings.put("qoder.ingest.snapshot-interval", "1m");
		serviceSettings.putAll(mode.settings());
		int run = ++this.runs;
		this.upstream.delay(this.settings.idleLatency());
		this.upstream.startLive(run, FIRST_NUMBER, this.settings.freshnessIdle(), 0, this.settings.freshnessTurn());
		System.out.printf(
				"[bench] freshness (%s): %,d idle sessions, %d live (a turn every %d s), %d ms upstream,"
						+ " cap 10/s; idle %d s, live %d s%n",
				mode.label(), this.settings.freshnessIdle(), this.settings.freshnessLive(),
				this.settings.freshnessTurn().toSeconds(), this.settings.idleLatency().toMillis(),
				this.settings.freshnessIdleWindow().toSeconds(), this.settings.freshnessDuration().toSeconds());
		try (BenchService service = BenchService.start(this.upstream, serviceSettings)) {
			if (mode.webhooks()) {
				this.upstream.webhooks("http://127.0.0.1:" + service.port() + "/api/v1/webhooks/qoder", SECRET);
			}
			Thread.sleep(10_000);
			Window idle = Window.start(service, this.upstream);
			Thread.sleep(this.settings.freshnessIdleWindow().toMillis());
			Window.Used idleUsed = idle.end(service, this.upstream);
			long[] pushedBefore = this.upstream.pushed();
			long start = this.upstream.startLive(run, FIRST_NUMBER, this.settings.freshnessIdle(),
					this.settings.freshnessLive(), this.settings.freshnessTurn());
			List<String> live = new ArrayList<>();
			for (int i = 0; i < this.settings.freshnessLive(); i++) {
				live.add(LiveSessions.liveId(run, i));
				service.tracking().track(live.get(i));
			}
			Window busy = Window.start(service, this.upstream);
			Thread.sleep(this.settings.freshnessDuration().toMillis());
			Window.Used busyUsed = busy.end(service, this.upstream);
			long end = this.upstream.stopLive();
			double longestUnread = service.jdbc()
				.sql("select max(extract(epoch from now() - last_success_at)) from tracked_session")
				.query(Double.class)
				.single();
			long overHour = service.jdbc()
				.sql("select count(*) from tracked_session where last_success_at < now() - interval '1 hour'")
				.query(Long.class)
				.single();
			Thread.sleep(20_000);
			long[] pushedAfter = this.upstream.pushed();
			for (int i = 0; i < pushedAfter.length; i++) {
				pushedAfter[i] -= pushedBefore[i];
			}
			report(service, mode, live,
					new LiveSessions(List.of(), run, live.size(), this.settings.freshnessTurn().toMillis(), start, end),
					idleUsed, busyUsed, longestUnread, overHour, pushedAfter);
		}
		finally {
			this.upstream.delay(Duration.ZERO);
			this.upstream.webhooks("", "");
		}
	}

	private void report(BenchService service, Mode mode, List<String> live, LiveSessions played, Window.Used idle,
			Window.Used busy, double longestUnread, long overHour, long[] pushed) {
		Set<String> expected = new HashSet<>();
		for (int i = 0; i < live.size(); i++) {
			for (long p = 0; p < played.visible(i, played.end()); p++) {
				expected.add(played.eventId(i, p));
			}
		}
		List<Object[]> rows = new ArrayList<>();
		service.jdbc()
			.sql("select id, extract(epoch from ingested_at - event_time) * 1000,"
					+ " extract(epoch from event_time) * 1000, extract(epoch from ingested_at) * 1000 from event"
					+ " where session_id in (:ids) and event_time >= :since")
			.param("ids", live)
			.param("since", Timestamp.from(Instant.ofEpochMilli(played.start())))
			.query((rs, n) -> rows
				.add(new Object[] { rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4) }))
			.list();
		// when the service stored each turn's session.status_running: from then on it
		// knows the session runs
		Map<String, Double> runningKnown = new java.util.HashMap<>();
		for (Object[] row : rows) {
			String id = (String) row[0];
			if (LiveSessions.position(id) % LiveSessions.PER_TURN == 0) {
				runningKnown.put(id.substring(0, id.indexOf('x') + 1) + LiveSessions.position(id), (double) row[3]);
			}
		}
		List<Double> running = new ArrayList<>();
		Set<String> stored = new HashSet<>();
		// by place in the turn: its first two events, the five in between, the idle
		List<List<Double>> byPlace = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		double[] delays = new double[rows.size()];
		for (int i = 0; i < rows.size(); i++) {
			stored.add((String) rows.get(i)[0]);
			delays[i] = (double) rows.get(i)[1];
			int inTurn = (int) (LiveSessions.position((String) rows.get(i)[0]) % LiveSessions.PER_TURN);
			byPlace.get((inTurn < 2) ? 0 : (inTurn < LiveSessions.PER_TURN - 1) ? 1 : 2).add(delays[i]);
			String id = (String) rows.get(i)[0];
			long position = LiveSessions.position(id);
			Double known = runningKnown
				.get(id.substring(0, id.indexOf('x') + 1) + (position - position % LiveSessions.PER_TURN));
			if (inTurn > 0 && known != null && (double) rows.get(i)[2] >= known) {
				running.add(delays[i]);
			}
		}
		Arrays.sort(delays);
		Set<String> lost = new HashSet<>(expected);
		lost.removeAll(stored);
		double p95 = percentile(delays, 0.95);
		String label = " (" + mode.label() + ")";
		// the live tail's target is for running sessions only
		boolean allTargeted = mode.targetMillis > 0;
		String delay = "delay event upstream -> served by the API, live sessions" + label;
		if (allTargeted) {
			this.results.add(SECTION, delay, describe(delays, live.size()), "p95 <= " + mode.targetMillis / 1000 + " s",
					p95 <= mode.targetMillis);
		}
		else {
			this.results.add(SECTION, delay, describe(delays, live.size()));
		}
		double[] start = sorted(byPlace.get(0));
		double[] between = sorted(byPlace.get(1));
		double[] end = sorted(byPlace.get(2));
		this.results.add(SECTION, "p95 delay by place in the turn" + label,
				String.format(
						"a turn's first 2 events (status_running, user.message) %.1f s; the 5 agent.messages"
								+ " in between %.1f s; its session.status_idle %.1f s",
						percentile(start, 0.95) / 1000, percentile(between, 0.95) / 1000,
						percentile(end, 0.95) / 1000));
		double[] whileRunning = sorted(running);
		String runningDelay = "delay event upstream -> served by the API, running sessions (events that appear after"
				+ " the service stored their turn's session.status_running)" + label;
		if (mode.runningTargetMillis > 0) {
			this.results.add(SECTION, runningDelay, describe(whileRunning, live.size()),
					"p95 <= " + mode.runningTargetMillis / 1000 + " s",
					percentile(whileRunning, 0.95) <= mode.runningTargetMillis);
		}
		else {
			this.results.add(SECTION, runningDelay, describe(whileRunning, live.size()));
		}
		if (mode.liveTail()) {
			this.results.add(SECTION, "event streams opened" + label,
					String.format(
							"%d, %.1f per turn played, on average %.1f s after the turn of the first event they send"
									+ " started; %d events replayed at an opening, %d written as they appeared",
							pushed[2], pushed[2] / Math.max(1.0, expected.size() / (double) LiveSessions.PER_TURN),
							pushed[5] / 1000.0 / Math.max(1, pushed[2]), pushed[3], pushed[4]));
		}
		if (mode.webhooks()) {
			this.results.add(SECTION, "webhooks delivered" + label,
					String.format("%d sent, %d answered 2xx", pushed[0], pushed[1]), "all 2xx",
					pushed[0] > 0 && pushed[0] == pushed[1]);
		}
		this.results.add(SECTION, "events lost / duplicated" + label,
				String.format("%d of %s lost, %d stored that never appeared upstream", lost.size(),
						Results.count(expected.size()), stored.size() - (expected.size() - lost.size())),
				"0", lost.isEmpty() && stored.size() == expected.size());
		this.results.add(SECTION, "longest any session went unread" + label,
				String.format("%.0f s; %d sessions unread for over an hour", longestUnread, overHour),
				"<= idle-poll-interval (3600 s)", overHour == 0);
		this.results.add(SECTION, "upstream requests/s while idle" + label, idle.describe(), "<= 10/s",
				idle.total() <= 10.0);
		this.results.add(SECTION, "upstream requests/s with the live sessions" + label, busy.describe(), "<= 10/s",
				busy.total() <= 10.0);
		this.results.add(SECTION, "CPU per minute while idle" + label,
				String.format(
						"service JVM %.2f s, PostgreSQL %.2f s (all postgres processes %.2f s); machine %.0f%% busy",
						idle.perMinute(idle.cpu().jvm()), idle.perMinute(idle.cpu().postgres()),
						idle.perMinute(idle.cpu().allPostgres()), idle.cpu().machineBusy() * 100));
		double perLive = (busy.total() - idle.total()) / Math.max(1, live.size());
		double headroom = 10.0 - idle.total();
		this.results.add(SECTION, "live sessions the default cap keeps within 10 s" + label, String.format(
				"about %.0f: the cap of 10/s less %.2f/s for idle polls and sweeps leaves %.2f/s, and a live session "
						+ "costs %.2f/s (a poll every 5 s, sweeps and snapshot reads); beyond it polls queue",
				headroom / Math.max(0.01, perLive), idle.total(), headroom, perLive));
	}

	private static String describe(double[] sorted, int sessions) {
		return String.format("p50 %.1f s, **p95 %.1f s**, max %.1f s over %s events of %d sessions",
				percentile(sorted, 0.5) / 1000, percentile(sorted, 0.95) / 1000, percentile(sorted, 1.0) / 1000,
				Results.count(sorted.length), sessions);
	}

	private static double[] sorted(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
	}

	private static double percentile(double[] sorted, double share) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1 + ((share == 0) ? 1 : 0))];
	}

	/** The start of a measured window: CPU and upstream requests by purpose. */
	private record Window(CpuSample cpu, double[] requests) {

		static Window start(BenchService service, BenchUpstream.Running upstream) {
			return new Window(CpuSample.now(upstream, service.postgres()), requests(service));
		}

		Used end(BenchService service, BenchUpstream.Running upstream) {
			CpuSample.Used used = CpuSample.now(upstream, service.postgres()).since(this.cpu);
			double[] now = requests(service);
			double seconds = used.wall().toNanos() / 1e9;
			double[] rates = new double[now.length];
			for (int i = 0; i < now.length; i++) {
				rates[i] = (now[i] - this.requests[i]) / seconds;
			}
			return new Used(used, rates);
		}

		private static double[] requests(BenchService service) {
			return PURPOSES.stream().mapToDouble(service::upstreamRequests).toArray();
		}

		/** What a window used: CPU, and requests per second by purpose. */
		record Used(CpuSample.Used cpu, double[] rates) {

			double total() {
				return Arrays.stream(this.rates).sum();
			}

			double perMinute(Duration cpuTime) {
				return cpuTime.toNanos() / 1e9 * 60 / (this.cpu.wall().toNanos() / 1e9);
			}

			String describe() {
				return String.format("%.2f in all: events %.2f, snapshot %.2f, sweep %.2f, stream opens %.2f", total(),
						this.rates[0], this.rates[1], this.rates[2], this.rates[3]);
			}

		}

	}

}
