package io.qoderevents.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestDatabase;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * PostgreSQL drops every connection of the service (a failover, a restart,
 * {@code pg_terminate_backend}) while it ingests and serves: reads are retried once on a
 * fresh connection or answered 503 with {@code Retry-After}, never 500; ingestion loses
 * and duplicates nothing; readiness reports the database down while it refuses
 * connections.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFailoverTests extends IntegrationTest {

	private static final String RETRIED = "met a connection the database dropped";

	private static final String TERMINATE = """
			select count(pg_terminate_backend(pid)) from pg_stat_activity
			where datname = %s and pid <> pg_backend_pid() and backend_type = 'client backend'""";

	@Autowired
	private DataSource dataSource;

	@Autowired
	private IngestService ingestService;

	@Autowired
	private TrackingService tracking;

	@AfterEach
	void freshPool() throws SQLException {
		// the next test class shares this context and its pool
		this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
	}

	@Test
	void readWhenTheDatabaseDropsEveryConnectionFiveTimesThenRetriedOr503NeverA500(CapturedOutput output)
			throws Exception {
		String session = TestEvents.sessionId();
		ingest(session, TestEvents.events(session, 120));
		List<String> reads = List.of("/api/v1/events?limit=20", "/api/v1/sessions/" + session + "/events",
				"/api/v1/tracked-sessions/" + session, "/api/v1/tracked-sessions", "/api/v1/usage",
				"/api/v1/sessions/" + session + "/usage", "/api/v1/errors?group_by=type");
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<Response> unavailable = new ArrayList<>();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger answered = new AtomicInteger();
		ExecutorService readers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int reader = 0; reader < 4; reader++) {
				int first = reader;
				running.add(readers.submit(() -> {
					for (int i = first; !stop.get(); i++) {
						Response response = this.api.get(reads.get(i % reads.size()));
						statuses.computeIfAbsent(response.status(), (status) -> new AtomicInteger()).incrementAndGet();
						if (response.status() != 200) {
							synchronized (unavailable) {
								unavailable.add(response);
							}
						}
						answered.incrementAndGet();
					}
					return null;
				}));
			}
			for (int drop = 1; drop <= 5; drop++) {
				int before = answered.get();
				await(() -> answered.get() > before + 20);
				assertThat(terminateServiceConnections()).as("connections dropped").isPositive();
				int afterDrop = answered.get();
				await(() -> answered.get() > afterDrop + 20);
			}
			stop.set(true);
			for (Future<?> reader : running) {
				reader.get();
			}
		}
		finally {
			stop.set(true);
			readers.shutdown();
		}
		assertThat(statuses.keySet()).as("statuses " + statuses).isSubsetOf(200, 503).contains(200);
		assertThat(unavailable).allSatisfy(this::assertUnavailable);
		// a connection idle for more than half a second is checked before it is lent: the
		// reads that meet a dropped one are those on the connections in use
		assertThat(occurrences(output, RETRIED)).as("reads that met a dropped connection").isPositive();
		assertThat(output.getAll()).doesNotContain("Unexpected error");
	}

	@Test
	void ingestWhenTheDatabaseDropsEveryConnectionFiveTimesThenEveryEventStoredOnceInUpstreamOrder() throws Exception {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			this.upstream.appendAll(session, TestEvents.events(session, 1200));
			this.tracking.track(session);
			sessions.add(session);
		}
		long total = 6 * 1200;
		AtomicBoolean done = new AtomicBoolean();
		ExecutorService poller = Executors.newSingleThreadExecutor();
		try {
			Future<Integer> polls = poller.submit(() -> pollUntilStored(total, done));
			for (int drop = 1; drop <= 5; drop++) {
				long threshold = total * drop / 7;
				await(() -> storedEvents() >= threshold);
				assertThat(storedEvents()).as("a backlog still ingesting").isLessThan(total);
				assertThat(terminateServiceConnections()).as("connections dropped").isPositive();
			}
			assertThat(polls.get()).as("poll cycles").isGreaterThan(1);
		}
		finally {
			done.set(true);
			poller.shutdown();
		}
		for (String session : sessions) {
			assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
			assertSequences(session, 1200);
		}
	}

	@Test
	void exportWhenTheDatabaseDropsTheConnectionMidStreamThenTheResponseIsAbortedNotCompleted(CapturedOutput output)
			throws Exception {
		this.jdbc.sql("""
				insert into event (id, session_id, sequence, type, event_time, payload)
				select 'evt_' || g, 'sess_export', g, 'user.message', now() + g * interval '1 millisecond',
				       jsonb_build_object('id', 'evt_' || g, 'text', repeat('x', 400))
				from generate_series(1, 40000) g""").update();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<InputStream> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/events"))
				.header("Accept", "application/x-ndjson")
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			assertThat(body.readLine()).contains("\"evt_1\"");
			assertThat(terminateServiceConnections()).as("connections dropped").isPositive();
			assertThatExceptionOfType(IOException.class).as("a stream cut short, not a complete body")
				.isThrownBy(() -> readToTheEnd(body));
		}
		assertThat(output.getAll()).contains("The database failed after the response was committed");
	}

	@Test
	void readinessWhenTheDatabaseRefusesConnectionsThenDownAndReadsAnswer503ThenUpAgain() throws Exception {
		String database = "qoder_failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		admin("create database " + database);
		String url = TestDatabase.get().url().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
		try (ConfigurableApplicationContext other = startOutsideDemo(Map.of("spring.datasource.url", url,
				"qoder.api.auth.enabled", "false", "spring.datasource.hikari.connection-timeout", "2000"))) {
			Api api = new Api(Integer.parseInt(other.getEnvironment().getProperty("server.port")));
			Api management = new Api(Integer.parseInt(other.getEnvironment().getProperty("management.server.port")));
			assertThat(api.get("/api/v1/events").status()).isEqualTo(200);
			assertThat(readiness(management)).isEqualTo("UP");
			admin("alter database " + database + " allow_connections false");
			try {
				admin(TERMINATE.formatted("'" + database + "'"));
				assertThat(readiness(management)).isEqualTo("DOWN");
				assertUnavailable(api.get("/api/v1/events"));
				assertUnavailable(api.get("/api/v1/tracked-sessions"));
			}
			finally {
				admin("alter database " + database + " allow_connections true");
			}
			await(() -> "UP".equals(readiness(management)));
			assertThat(api.get("/api/v1/events").status()).isEqualTo(200);
		}
		finally {
			admin("drop database if exists " + database + " with (force)");
		}
	}

	@Test
	void classifyWhenFailuresOfTheDatabaseOrOfTheRequestThenOnlyDroppedConnectionsRetried() {
		Map<Throwable, List<Boolean>> lostAndUnavailable = Map.of(
				new DataAccessResourceFailureException("query", new SQLException("terminating", "57P01")),
				List.of(true, true),
				new JpaSystemException(
						new RuntimeException("Unable to rollback", new SQLException("Connection is closed"))),
				List.of(true, true), new SQLException("I/O error", "08006"), List.of(true, true),
				new CannotCreateTransactionException("no connection",
						new SQLTransientConnectionException("request timed out", "08001")),
				List.of(false, true),
				new BadSqlGrammarException("query", "select", new SQLException("syntax error", "42601")),
				List.of(false, false), new DataIntegrityViolationException("duplicate"), List.of(false, false),
				new SQLException("Connection is closed", "0A000"), List.of(false, false));
		lostAndUnavailable.forEach((failure, expected) -> {
			assertThat(DatabaseFailures.connectionLost(failure)).as("lost: " + failure).isEqualTo(expected.get(0));
			assertThat(DatabaseFailures.unavailable(failure)).as("unavailable: " + failure).isEqualTo(expected.get(1));
		});
	}

	private void assertUnavailable(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().getFirst("Retry-After")).isEqualTo("5");
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = Api.JSON.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("https://qoder-events.io/problems/database-unavailable");
		assertThat(problem.get("status").asInt()).isEqualTo(503);
	}

	private static String readiness(Api management) {
		Response response = management.get("/actuator/health/readiness");
		String status = Api.JSON.readTree(response.body()).get("status").asString();
		assertThat(response.status()).isEqualTo("UP".equals(status) ? 200 : 503);
		return status;
	}

	/**
	 * Runs poll cycles until every event is stored. A cycle that lost its connection
	 * leaves its sessions leased; the lease is ended here as its expiry would end it.
	 */
	private int pollUntilStored(long total, AtomicBoolean done) throws Exception {
		int cycles = 0;
		while (!done.get()) {
			try {
				if (storedEvents() >= total) {
					return cycles;
				}
				cycles++;
				this.ingestService.pollDue();
			}
			catch (RuntimeException ex) {
				// the connection was dropped under the cycle itself
			}
			try {
				admin("update tracked_session set lease_owner = null, lease_until = null where lease_until is not null");
			}
			catch (SQLException ex) {
				// dropped too: the next round ends the leases
			}
		}
		return cycles;
	}

	private long storedEvents() {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select count(*) from event")) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Ends every connection to the test database but the one that asks. */
	private static long terminateServiceConnections() throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(TERMINATE.formatted("current_database()"))) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static void admin(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static Connection connect() throws SQLException {
		TestDatabase database = TestDatabase.get();
		return DriverManager.getConnection(database.url(), database.username(), database.password());
	}

	private static void readToTheEnd(BufferedReader body) throws IOException {
		while (body.readLine() != null) {
			// reading what the service sent before the connection was dropped
		}
	}

	private static int occurrences(CapturedOutput output, String text) {
		String all = output.getAll();
		int count = 0;
		for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

}
