package io.qoderevents;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.slf4j.LoggerFactory;

/**
 * A database of the tests or of the demo on a {@link DatabaseServer}: the server named by
 * {@value #URL_VARIABLE}, else a Testcontainers {@code postgres:17} when Docker answers,
 * else an embedded PostgreSQL 17. One line at start-up says which.
 */
public final class TestDatabase {

	/**
	 * Names an existing server to use instead of Docker or the embedded one, e.g.
	 * {@code jdbc:postgresql://127.0.0.1:5432/postgres} (user and password in the URL, or
	 * {@code QODER_TEST_DATABASE_USER}/{@code _PASSWORD}).
	 */
	public static final String URL_VARIABLE = "QODER_TEST_DATABASE_URL";

	private static final String DEMO_DATABASE = "qoder_demo";

	private static TestDatabase instance;

	private final String url;

	private final String username;

	private final String password;

	private TestDatabase(DatabaseServer server, String name) {
		this.url = server.url(name);
		this.username = server.username();
		this.password = server.password();
	}

	/**
	 * The test run's database: created empty on first use, shared by every test context
	 * of the JVM, gone at exit.
	 */
	public static synchronized TestDatabase get() {
		if (instance == null) {
			DatabaseServer server = DatabaseServer.start(null);
			String name = "qoder_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
			execute(server, "create database " + name);
			if (server.shared()) {
				DatabaseServer
					.atExit(() -> executeQuietly(server, "drop database if exists " + name + " with (force)"));
			}
			log("Test database " + name + " on " + server.description());
			instance = new TestDatabase(server, name);
		}
		return instance;
	}

	/**
	 * The demo's database {@value #DEMO_DATABASE}, kept across restarts: on the named
	 * server, in a named Docker volume, or in the embedded server's data directory
	 * {@code dataDirectory}. {@code fresh} drops it first.
	 */
	static TestDatabase demo(Path dataDirectory, boolean fresh) {
		DatabaseServer server = DatabaseServer.start(dataDirectory);
		if (fresh) {
			execute(server, "drop database if exists " + DEMO_DATABASE + " with (force)");
		}
		boolean created = createIfMissing(server);
		log("Demo database " + DEMO_DATABASE + " on " + server.description()
				+ (created ? ", new" : ", kept from the last run") + " (-Dqoder.demo.fresh=true starts clean)");
		return new TestDatabase(server, DEMO_DATABASE);
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

	private static boolean createIfMissing(DatabaseServer server) {
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			if (statement.executeQuery("select 1 from pg_database where datname = '" + DEMO_DATABASE + "'").next()) {
				return false;
			}
			statement.execute("create database " + DEMO_DATABASE);
			return true;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create " + DEMO_DATABASE + " on " + server.description(), ex);
		}
	}

	private static void execute(DatabaseServer server, String sql) {
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot run '" + sql + "' on " + server.description(), ex);
		}
	}

	private static void executeQuietly(DatabaseServer server, String sql) {
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			// the server may already be gone at JVM exit; a leftover test database is
			// harmless
		}
	}

	private static void log(String line) {
		LoggerFactory.getLogger(TestDatabase.class).info(line);
	}

}
