package io.qoderevents.demo;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The demo sessions' histories in a schema of the demo's own beside the service's tables
 * ({@code demo_upstream}, created here, never by the service's migrations), kept with the
 * demo database and dropped with it.
 */
final class JdbcDemoHistory implements DemoHistory {

	private static final String CREATE = """
			create schema if not exists demo_upstream;
			create table if not exists demo_upstream.session (
			    id         text        primary key,
			    shape      text        not null,
			    created_at timestamptz not null
			);
			create table if not exists demo_upstream.event (
			    position    bigint      generated always as identity primary key,
			    session_id  text        not null references demo_upstream.session (id) on delete cascade,
			    json        text        not null,
			    appended_at timestamptz not null
			)
			""";

	private static final String INSERT_SESSION = """
			insert into demo_upstream.session (id, shape, created_at) values (?, ?, ?)
			on conflict (id) do nothing
			""";

	private static final String INSERT_EVENT = """
			insert into demo_upstream.event (session_id, json, appended_at) values (?, ?, ?)
			""";

	private final JdbcClient jdbc;

	JdbcDemoHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
		jdbc.sql(CREATE).update();
	}

	@Override
	public Map<String, Kept> load() {
		Map<String, Kept> sessions = new LinkedHashMap<>();
		this.jdbc.sql("select id, shape, created_at from demo_upstream.session order by created_at, id")
			.query((rs, n) -> Map.entry(rs.getString(1),
					new Kept(UpstreamShape.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(),
							new ArrayList<>())))
			.list()
			.forEach((session) -> sessions.put(session.getKey(), session.getValue()));
		this.jdbc.sql("select session_id, json, appended_at from demo_upstream.event order by position")
			.query((rs, n) -> Map.entry(rs.getString(1), new Appended(rs.getString(2), rs.getTimestamp(3).toInstant())))
			.list()
			.forEach((event) -> sessions.get(event.getKey()).events().add(event.getValue()));
		return sessions;
	}

	@Override
	public void created(String sessionId, UpstreamShape shape, Instant at) {
		this.jdbc.sql(INSERT_SESSION).params(sessionId, shape.name(), Timestamp.from(at)).update();
	}

	@Override
	public void appended(String sessionId, List<String> events, Instant at) {
		for (String json : events) {
			this.jdbc.sql(INSERT_EVENT).params(sessionId, json, Timestamp.from(at)).update();
		}
	}

}
