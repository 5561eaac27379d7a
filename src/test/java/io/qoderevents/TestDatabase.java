package io.qoderevents;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL of one test run: a fresh database on the server named by
 * {@value #URL_VARIABLE} when it is set (user and password in the URL, or
 * {@code QODER_TEST_DATABASE_USER}/{@code _PASSWORD}), otherwise a pinned
 * {@code postgres:17} Testcontainers container. Created once per JVM and shared by every
 * test context.
 */
public final class TestDatabase {

	/**
	 * Names an existing server to use instead of Docker, e.g.
	 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}.
	 */
	public static final String URL_VARIABLE = "QODER_TEST_DATABASE_URL";

	private static TestDatabase instance;

	private final String url;

	private final String username;

	private final String password;

	private TestDatabase(String url, String username, String password) {
		this.url = url;
		this.username = username;
		this.password = password;
	}

	/** The run's database, created on first use. */
	public static synchronized TestDatabase get() {
		if (instance == null) {
			String server = System.getenv(URL_VARIABLE);
			instance = (server == null || server.isBlank()) ? startContainer() : createOn(server);
		}
		return instance;
	}

	public String url() {
		return this.url;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	@SuppressWarnings("resource")
	private static TestDatabase startContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17.6");
		container.start();
		return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
	}

	private static TestDatabase createOn(String serverUrl) {
		String user = envOr("QODER_TEST_DATABASE_USER", "postgres");
		String password = envOr("QODER_TEST_DATABASE_PASSWORD", "");
		String name = "qoder_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create a test database on " + serverUrl, ex);
		}
		String base = serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
		Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(serverUrl, user, password, name)));
		return new TestDatabase(base, user, password);
	}

	private static void drop(String serverUrl, String user, String password, String name) {
		try (Connection connection = DriverManager.getConnection(serverUrl, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists " + name + " with (force)");
		}
		catch (SQLException ex) {
			// the server may already be gone at JVM exit; a leftover test database is
			// harmless
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
