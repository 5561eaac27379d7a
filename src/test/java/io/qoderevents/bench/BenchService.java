package io.qoderevents.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.QoderEventsApplication;
import io.qoderevents.TestDatabase;
import io.qoderevents.TestDatabaseConfiguration;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.tracking.TrackingService;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole service on a fresh database, started as the integration tests start it (demo
 * profile, no demo sessions, scheduler off: the benchmark drives ingestion), but polling
 * the benchmark's upstream with the rate cap raised.
 */
final class BenchService implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private final PostgresProcesses postgres;

	private BenchService(ConfigurableApplicationContext context, int port) throws SQLException {
		this.context = context;
		this.port = port;
		TestDatabase database = TestDatabase.get();
		String server = System.getenv(TestDatabase.URL_VARIABLE);
		this.postgres = new PostgresProcesses((server != null && !server.isBlank()) ? server : database.url(),
				database.username(), database.password(),
				jdbc().sql("select current_database()").query(String.class).single());
	}

	static BenchService start(BenchUpstream.Running upstream, int concurrency) throws SQLException {
		return start(upstream, Map.of("qoder.ingest.concurrency", String.valueOf(concurrency)));
	}

	/**
	 * Starts the service with these settings instead of the benchmark's (scheduler off,
	 * rate cap raised, 30 s poll interval).
	 */
	static BenchService start(BenchUpstream.Running upstream, Map<String, String> settings) throws SQLException {
		int port = freePort();
		Map<String, String> all = new LinkedHashMap<>();
		all.put("server.port", String.valueOf(port));
		all.put("management.server.port", String.valueOf(freePort()));
		all.put("qoder.demo.sessions", "0");
		all.put("qoder.demo.generate", "false");
		all.put("qoder.ingest.enabled", "false");
		all.put("qoder.upstream.base-url", upstream.baseUrl());
		all.put("qoder.upstream.max-requests-per-second", "100000");
		all.put("qoder.ingest.poll-interval", "30s");
		all.put("logging.level.root", "WARN");
		all.put("spring.main.banner-mode", "off");
		all.putAll(settings);
		ConfigurableApplicationContext context = SpringApplication.from(QoderEventsApplication::main)
			.with(TestDatabaseConfiguration.class)
			.withAdditionalProfiles("demo")
			.run(all.entrySet()
				.stream()
				.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new))
			.getApplicationContext();
		return new BenchService(context, port);
	}

	/** Upstream requests the service sent so far for {@code purpose}. */
	double upstreamRequests(String purpose) {
		return this.context.getBean(MeterRegistry.class)
			.find("qoder.upstream.requests")
			.tag("purpose", purpose)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	IngestService ingest() {
		return this.context.getBean(IngestService.class);
	}

	TrackingService tracking() {
		return this.context.getBean(TrackingService.class);
	}

	JdbcClient jdbc() {
		return this.context.getBean(JdbcClient.class);
	}

	JdbcTemplate jdbcTemplate() {
		return this.context.getBean(JdbcTemplate.class);
	}

	DataSource dataSource() {
		return this.context.getBean(DataSource.class);
	}

	/** The PostgreSQL processes working for this run's database. */
	PostgresProcesses postgres() {
		return this.postgres;
	}

	int port() {
		return this.port;
	}

	/** The size of this run's database, tables and indexes included. */
	long databaseBytes() {
		return jdbc().sql("select pg_database_size(current_database())").query(Long.class).single();
	}

	@Override
	public void close() throws SQLException, InterruptedException {
		this.postgres.close();
		this.context.close();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
