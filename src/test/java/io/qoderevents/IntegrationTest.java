package io.qoderevents;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.qoderevents.demo.SimulatedQoder;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.upstream.QoderClient;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of every integration test: the whole application on the run's PostgreSQL,
 * polling the simulated Qoder API it serves itself over real HTTP. The scheduler is off:
 * tests drive ingestion. Every test starts empty.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "qoder.demo.sessions=0", "qoder.demo.generate=false", "qoder.ingest.enabled=false",
				"qoder.upstream.max-requests-per-second=1000", "qoder.upstream.read-timeout=3s",
				"qoder.ingest.backoff-initial=100ms", "qoder.ingest.backoff-max=1s", "qoder.upstream.max-attempts=1" })
@ActiveProfiles("demo")
@Import(TestDatabaseConfiguration.class)
public abstract class IntegrationTest {

	private static final Set<Integer> WARMED = ConcurrentHashMap.newKeySet();

	@Autowired
	protected SimulatedQoder upstream;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected QoderClient client;

	@Autowired
	private TrackingService trackingService;

	/** JSON calls to this instance's API. */
	protected Api api;

	@Value("${server.port}")
	protected int port;

	@Autowired
	private IngestService ingestService;

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		int port = freePort();
		registry.add("server.port", () -> port);
		registry.add("management.server.port", IntegrationTest::freePort);
	}

	@BeforeEach
	void startEmpty() {
		this.api = new Api(this.port);
		if (WARMED.add(this.port)) {
			// a context's first upstream call sets up the HTTP client: on a busy machine
			// that alone can outlast the tests' short read timeout
			this.client.getSession(TestEvents.sessionId());
		}
		this.upstream.reset();
		this.client.resume();
		this.jdbc.sql(
				"truncate usage_rollup, session_usage_bucket, session_usage, turn_usage, turn, session_turn_state, session_snapshot, session_error, event, job_lease, "
						+ "tracked_session, quarantined_event")
			.update();
	}

	/**
	 * Puts events upstream for a new session, tracks it and ingests them through the real
	 * poller.
	 */
	protected void ingest(String sessionId, List<String> events) {
		this.upstream.createSession(sessionId);
		this.upstream.appendAll(sessionId, events);
		this.trackingService.track(sessionId);
		syncNow(sessionId);
	}

	/**
	 * Requests a sync of the session, as {@code POST .../sync} does, and runs the poll
	 * cycle the next tick would run.
	 * @return the events the cycle stored for the session
	 */
	protected int syncNow(String sessionId) {
		long before = storedEvents(sessionId);
		this.trackingService.requestSync(sessionId);
		this.ingestService.pollDue();
		return (int) (storedEvents(sessionId) - before);
	}

	private long storedEvents(String sessionId) {
		return this.jdbc.sql("select count(*) from event where session_id = ?")
			.param(sessionId)
			.query(Long.class)
			.single();
	}

	/**
	 * Waits up to 30 seconds for something the service does on threads of its own (a
	 * stream, a woken poll).
	 */
	protected static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Puts events upstream for a new session and tracks it, without polling. */
	protected String tracked(int events) {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, events));
		this.trackingService.track(session);
		return session;
	}

	/** The stored event ids of a session in sequence order. */
	protected List<String> stored(String session) {
		return this.jdbc.sql("select id from event where session_id = ? order by sequence")
			.param(session)
			.query(String.class)
			.list();
	}

	/** The session's tracked_session row. */
	protected Map<String, Object> row(String session) {
		return this.jdbc.sql("select * from tracked_session where session_id = ?").param(session).query().singleRow();
	}

	protected long count(String sql, Object... params) {
		return this.jdbc.sql(sql).params(params).query(Long.class).single();
	}

	/** Asserts sequences 1..expected without gaps and a matching event_count. */
	protected void assertSequences(String session, int expected) {
		List<Long> sequences = this.jdbc.sql("select sequence from event where session_id = ? order by sequence")
			.param(session)
			.query(Long.class)
			.list();
		assertThat(sequences).hasSize(expected);
		for (int i = 0; i < sequences.size(); i++) {
			assertThat(sequences.get(i)).isEqualTo(i + 1L);
		}
		assertThat(row(session).get("event_count")).isEqualTo((long) expected);
	}

	/**
	 * Runs the action on two threads released at the same instant and returns both
	 * results: two pollers or replicas racing on one session.
	 */
	protected static <T> List<T> twoAtOnce(Callable<T> action) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Callable<T> raced = () -> {
			start.await();
			return action.call();
		};
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			List<T> results = new ArrayList<>();
			for (Future<T> result : threads.invokeAll(List.of(raced, raced))) {
				results.add(result.get());
			}
			return results;
		}
		finally {
			threads.shutdown();
		}
	}

	/**
	 * Starts the service outside the demo profile on the run's database, polling nothing,
	 * with an upstream token; {@code settings} add to or replace these.
	 */
	protected static ConfigurableApplicationContext startOutsideDemo(Map<String, String> settings) {
		TestDatabase database = TestDatabase.get();
		Map<String, String> all = new LinkedHashMap<>();
		all.put("server.port", String.valueOf(freePort()));
		all.put("management.server.port", String.valueOf(freePort()));
		all.put("spring.datasource.url", database.url());
		all.put("spring.datasource.username", database.username());
		all.put("spring.datasource.password", database.password());
		all.put("qoder.ingest.enabled", "false");
		all.put("qoder.upstream.token", "pt-outside-demo");
		all.putAll(settings);
		String[] args = all.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(QoderEventsApplication.class).run(args);
	}

	/**
	 * Starts another instance of the service on the same database, polling this
	 * instance's simulated upstream, with these extra arguments ({@code --name=value}).
	 */
	protected ConfigurableApplicationContext replica(String... arguments) {
		TestDatabase database = TestDatabase.get();
		List<String> all = new ArrayList<>(List.of("--server.port=" + freePort(),
				"--management.server.port=" + freePort(), "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--qoder.upstream.base-url=http://127.0.0.1:" + this.port + "/demo/upstream/api/v1/cloud",
				"--qoder.upstream.max-requests-per-second=1000", "--qoder.demo.sessions=0",
				"--qoder.demo.generate=false"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(QoderEventsApplication.class).profiles("demo")
			.run(all.toArray(String[]::new));
	}

	protected static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
