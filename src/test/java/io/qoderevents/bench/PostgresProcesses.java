package io.qoderevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time of the PostgreSQL processes working for the benchmark's database (its backends
 * and autovacuum workers), apart from other databases on the same server. A background
 * thread lists them every 500 ms from {@code pg_stat_activity}, over a connection to the
 * server's maintenance database so that the listing adds no transaction to the
 * benchmark's, and keeps the last CPU time it read for each; processes that end between
 * two listings lose at most their last half second.
 */
final class PostgresProcesses implements AutoCloseable {

	private static final String LIST = "select pid from pg_stat_activity where datname = ?";

	private final Map<Long, Long> ticks = new ConcurrentHashMap<>();

	private final Connection connection;

	private final String database;

	private final Thread thread;

	private volatile boolean running = true;

	PostgresProcesses(String serverUrl, String user, String password, String database) throws SQLException {
		this.connection = DriverManager.getConnection(serverUrl, user, password);
		this.database = database;
		this.thread = new Thread(this::watch, "bench-postgres-cpu");
		this.thread.setDaemon(true);
		list();
		this.thread.start();
	}

	/** Ticks (1/100 s) used so far by the database's processes seen so far. */
	long ticks() {
		list();
		return this.ticks.values().stream().mapToLong(Long::longValue).sum();
	}

	@Override
	public void close() throws SQLException, InterruptedException {
		this.running = false;
		this.thread.join();
		this.connection.close();
	}

	private void watch() {
		while (this.running) {
			list();
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private synchronized void list() {
		try (PreparedStatement statement = this.connection.prepareStatement(LIST)) {
			statement.setString(1, this.database);
			try (ResultSet pids = statement.executeQuery()) {
				while (pids.next()) {
					long pid = pids.getLong(1);
					long used = ticks(pid);
					if (used >= 0) {
						this.ticks.merge(pid, used, Math::max);
					}
				}
			}
		}
		catch (SQLException ex) {
			// the server went away: keep what was read
		}
	}

	/** utime + stime of a process, or -1 when it cannot be read. */
	static long ticks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
