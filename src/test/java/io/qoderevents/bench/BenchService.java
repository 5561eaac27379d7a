package io.qoderevents.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;

import javax.sql.DataSource;

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
		int port = freePort();
		ConfigurableApplicationContext context = SpringApplication.from(QoderEventsApplication::main)
			.with(TestDatabaseConfiguration.class)
			.withAdditionalProfiles("demo")
			.run("--server.port=" + port, "--management.server.port=" + freePort(), "--qoder.demo.sessions=0",
					"--qoder.demo.generate=false", "--qoder.ingest.enabled=false",
					"--qoder.upstream.base-url=" + upstream.baseUrl(),
					"--qoder.upstream.max-requests-per-second=100000", "--qoder.ingest.concurrency=" + concurrency,
					"--qoder.ingest.poll-interval=30s", "--logging.level.root=WARN", "--spring.main.banner-mode=off")
			.getApplicationContext();
		return new BenchService(context, port);
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
