package io.qoderevents.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The database's limit on this machine: the rows the ingester writes to {@code event}
 * (its turn, thread and derived event time included), generated the same way and loaded
 * with {@code COPY} (one per connection, each in one transaction) into
 * {@code event_copy}, a table with the same columns, constraints and indexes
 * ({@code like event including all}).
 */
final class CopyBaseline {

	private static final String COPY = """
			copy event_copy (id, session_id, sequence, type, turn_id, session_thread_id, event_time, payload)
			from stdin with (format csv)""";

	private static final String STORED = """
			select sequence, turn_id, session_thread_id, event_time from event where session_id = ? order by sequence
			""";

	private static final int FLUSH_CHARS = 512 * 1024;

	private final DataSource dataSource;

	private final BenchEvents events;

	CopyBaseline(DataSource dataSource, BenchEvents events) {
		this.dataSource = dataSource;
		this.events = events;
	}

	/** Creates {@code event_copy} empty, dropping an earlier one. */
	void create() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists event_copy");
			statement.execute("create table event_copy (like event including all)");
		}
	}

	/**
	 * Loads every event of these sessions over {@code streams} connections at once, each
	 * one COPY in one transaction; returns the rows and the bytes of JSON copied.
	 */
	long[] load(List<BenchEvents.Session> sessions, int streams) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(streams);
		try {
			List<Future<long[]>> loads = new ArrayList<>();
			for (int stream = 0; stream < streams; stream++) {
				List<BenchEvents.Session> share = new ArrayList<>();
				for (int i = stream; i < sessions.size(); i += streams) {
					share.add(sessions.get(i));
				}
				loads.add(executor.submit(() -> load(share)));
			}
			long[] total = new long[2];
			for (Future<long[]> load : loads) {
				total[0] += load.get()[0];
				total[1] += load.get()[1];
			}
			return total;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private long[] load(List<BenchEvents.Session> sessions) throws SQLException, IOException {
		long rows = 0;
		long bytes = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
			StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 64 * 1024);
			for (BenchEvents.Session session : sessions) {
				for (int from = 0; from < session.eventCount(); from += 100) {
					List<BenchEvents.Event> page = this.events.events(session, from,
							Math.min(session.eventCount(), from + 100));
					for (int i = 0; i < page.size(); i++) {
						row(buffer, session.id(), from + i + 1, page.get(i));
						bytes += page.get(i).json().getBytes(StandardCharsets.UTF_8).length;
					}
					rows += page.size();
					if (buffer.length() >= FLUSH_CHARS) {
						flush(copy, buffer);
					}
				}
			}
			flush(copy, buffer);
			copy.endCopy();
			connection.commit();
			connection.setAutoCommit(true);
		}
		return new long[] { rows, bytes };
	}

	/**
	 * Compares the rows the ingester stored for a session with the rows COPY loads;
	 * returns the rows compared and those whose turn, thread or event time (to the
	 * second) differ.
	 */
	long[] compare(BenchEvents.Session session) throws SQLException {
		long[] counts = new long[4];
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(STORED)) {
			statement.setString(1, session.id());
			try (ResultSet rows = statement.executeQuery()) {
				List<BenchEvents.Event> page = List.of();
				int from = 0;
				while (rows.next()) {
					int position = rows.getInt(1) - 1;
					if (position >= from + page.size()) {
						from = position;
						page = this.events.events(session, from, Math.min(session.eventCount(), from + 100));
					}
					BenchEvents.Event event = page.get(position - from);
					counts[0]++;
					counts[1] += Objects.equals(event.turnId(), rows.getString(2)) ? 0 : 1;
					counts[2] += Objects.equals(event.sessionThreadId(), rows.getString(3)) ? 0 : 1;
					counts[3] += OffsetDateTime.parse(event.eventTime())
						.truncatedTo(ChronoUnit.SECONDS)
						.isEqual(rows.getObject(4, OffsetDateTime.class).truncatedTo(ChronoUnit.SECONDS)) ? 0 : 1;
				}
			}
		}
		return counts;
	}

	/**
	 * Drops {@code event_copy} and checkpoints, so that the next phase starts from a
	 * clean server.
	 */
	void drop() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists event_copy");
			statement.execute("checkpoint");
		}
	}

	private static void row(StringBuilder buffer, String sessionId, long sequence, BenchEvents.Event event) {
		buffer.append(event.id()).append(',').append(sessionId).append(',').append(sequence).append(',');
		buffer.append(event.type()).append(',').append((event.turnId() != null) ? event.turnId() : "").append(',');
		buffer.append((event.sessionThreadId() != null) ? event.sessionThreadId() : "").append(',');
		buffer.append(event.eventTime()).append(",\"");
		String json = event.json();
		int start = 0;
		for (int quote = json.indexOf('"'); quote >= 0; quote = json.indexOf('"', quote + 1)) {
			buffer.append(json, start, quote + 1).append('"');
			start = quote + 1;
		}
		buffer.append(json, start, json.length()).append("\"\n");
	}

	private static void flush(CopyIn copy, StringBuilder buffer) throws SQLException {
		byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
		copy.writeToCopy(bytes, 0, bytes.length);
		buffer.setLength(0);
	}

}
