package io.qoderevents.ingest.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;
import io.qoderevents.config.QoderProperties;
import io.qoderevents.ingest.IngestService;
import io.qoderevents.ingest.LeaseOwner;
import io.qoderevents.ingest.Schedule;
import io.qoderevents.ingest.SnapshotReader;
import io.qoderevents.ingest.sweep.SweepService.Result;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep against the simulated upstream's session list: what it records, what it makes
 * due, and what a failed page or a second instance leave alone.
 */
class SweepTests extends IntegrationTest {

	@Autowired
	private SweepService sweep;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private IngestService ingest;

	@Autowired
	private JdbcSweepRepository sweeps;

	@Autowired
	private SnapshotReader snapshots;

	@Autowired
	private QoderProperties properties;

	@Autowired
	private Clock clock;

	@Autowired
	private MeterRegistry meters;

	@Test
	void sweepWhenListedSessionsChangedThenOnlyTheChangedMadeDueAndEveryTrackedSnapshotRecorded() {
		String changed = polled(3);
		String unchanged = polled(3);
		String archived = polled(3);
		String missing = polled(3);
		String untracked = TestEvents.sessionId();
		this.upstream.createSession(untracked);
		this.upstream.append(changed, event(changed, "agent.message"));
		this.upstream.archiveSession(archived);
		this.upstream.deleteSession(missing);
		OffsetDateTime start = OffsetDateTime.now(this.clock);
		Result result = sweepNow();
		assertThat(result.full()).isTrue();
		assertThat(result.complete()).isTrue();
		assertThat(result.tracked()).isEqualTo(3);
		assertThat(result.changed()).isEqualTo(2);
		assertThat(dueNow()).containsExactlyInAnyOrder(changed, archived);
		assertThat(sweptSince(start)).containsExactlyInAnyOrder(changed, unchanged, archived);
		assertThat(count("select count(*) from session_snapshot where session_id = ?", untracked)).isZero();
		assertThat(count("select count(*) from tracked_session where session_id = ?", untracked)).isZero();
		assertThat(row(missing).get("changed")).isEqualTo(false);
		assertThat(row(missing).get("next_poll_at")).isNotNull();
		this.ingest.pollDue();
		assertThat(stored(changed)).hasSize(4);
		assertThat(dueNow()).isEmpty();
		this.jdbc.sql("update job_lease set full_at = null").update();
		assertThat(sweepNow().changed()).isZero();
	}

	@Test
	void sweepWhenAPageFailsThenEarlierPagesKeptTheRestUnchangedAndTheNextSweepFullAgain() {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 130; i++) {
			sessions.add(polled(1));
		}
		sessions.forEach((session) -> this.upstream.append(session, event(session, "agent.message")));
		// the list is newest first: the first page holds the last 100 created
		this.upstream.failNextSessionList(sessions.get(30), 1, 503, "");
		OffsetDateTime start = OffsetDateTime.now(this.clock);
		Result failed = sweepNow();
		assertThat(failed.complete()).isFalse();
		assertThat(failed.pages()).isEqualTo(1);
		assertThat(dueNow()).containsExactlyInAnyOrderElementsOf(sessions.subList(30, 130));
		assertThat(sweptSince(start)).containsExactlyInAnyOrderElementsOf(sessions.subList(30, 130));
		Result next = sweepNow();
		assertThat(next.full()).isTrue();
		assertThat(next.complete()).isTrue();
		assertThat(next.changed()).isEqualTo(30);
		assertThat(sweepNow().full()).isFalse();
	}

	@Test
	void sweepWhenTheFirstPageFailsThenNothingChanges() {
		String session = polled(2);
		this.upstream.append(session, event(session, "agent.message"));
		Map<String, Object> before = row(session);
		Map<String, Object> snapshot = snapshot(session);
		this.upstream.failNextSessionList("", 1, 500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\"}}");
		Result result = sweepNow();
		assertThat(result.pages()).isZero();
		assertThat(row(session)).isEqualTo(before);
		assertThat(snapshot(session)).isEqualTo(snapshot);
	}

	@Test
	void sweepWhenTwoInstancesSweepAtOnceThenTheListIsPagedOnce() throws Exception {
		polled(2);
		SweepService other = new SweepService(this.client, this.sweeps, this.snapshots, this.tracking, this.properties,
				this.clock, new LeaseOwner());
		int before = listRequests();
		AtomicInteger turn = new AtomicInteger();
		List<Optional<Result>> results = twoAtOnce(() -> ((turn.getAndIncrement() == 0) ? this.sweep : other).sweep());
		assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
		assertThat(listRequests() - before).isEqualTo(1);
		assertThat(other.sweep()).isEmpty();
		assertThat(this.sweep.sweep()).isEmpty();
	}

	@Test
	void sweepWhenACompletedSessionRunsAgainThenPolledAgainAndActive() {
		String session = polled(2);
		this.upstream.append(session, event(session, "session.status_terminated"));
		syncNow(session);
		assertThat(row(session).get("state")).isEqualTo("completed");
		assertThat(row(session).get("next_poll_at")).isNull();
		assertThat(sweepNow().changed()).isZero();
		this.ingest.pollDue();
		assertThat(this.upstream.requestLog()).last().asString().startsWith("/sessions?");
		this.upstream.append(session, event(session, "session.status_running"));
		this.upstream.append(session, event(session, "agent.message"));
		Result running = sweepNow();
		assertThat(running.full()).isFalse();
		assertThat(running.changed()).isEqualTo(1);
		this.ingest.pollDue();
		assertThat(stored(session)).hasSize(5);
		assertThat(row(session).get("state")).isEqualTo("active");
		assertThat(row(session).get("next_poll_at")).isNotNull();
		assertThat(runningSessions()).containsExactly(session);
	}

	@Test
	void sweepWhenARunningSessionIsNoLongerListedRunningThenMadeDue() {
		String session = polled(2);
		this.upstream.setStatus(session, "running");
		sweepNow();
		this.ingest.pollDue();
		assertThat(runningSessions()).containsExactly(session);
		this.upstream.append(session, event(session, "session.status_idle"));
		Result result = sweepNow();
		assertThat(result.full()).isFalse();
		assertThat(result.tracked()).isZero();
		assertThat(result.changed()).isEqualTo(1);
		this.ingest.pollDue();
		assertThat(stored(session)).hasSize(3);
		assertThat(runningSessions()).isEmpty();
	}

	/**
	 * The sessions the schedule polls as running: the upstream said so in a status read
	 * within the last three sweep intervals.
	 */
	private List<String> runningSessions() {
		Duration fresh = this.properties.ingest().sweepInterval().multipliedBy(3);
		return this.jdbc
			.sql("select session_id from session_snapshot where status in (%s) and read_at >= ? order by session_id"
				.formatted(Schedule.RUNNING_SQL))
			.param(OffsetDateTime.now(this.clock).minus(fresh))
			.query(String.class)
			.list();
	}

	/** A tracked session with {@code events} events upstream, polled once. */
	private String polled(int events) {
		String session = tracked(events);
		syncNow(session);
		return session;
	}

	@Test
	void sweepWhenTheListShowsNewAttributionThenTheTrackedSnapshotTakesIt() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.setSessionFields(session, """
				{"agent":{"id":"agent_reviewer","name":"reviewer","version":3},"environment_id":"env_ci",\
				"metadata":{"team":"payments","project":"ledger"}}""");
		ingest(session, TodayEvents.pausedTurn().get(0));
		assertThat(trackedSession(session).get("snapshot").get("agent_id").asString()).isEqualTo("agent_reviewer");
		this.upstream.setSessionFields(session, """
				{"agent":{"id":"agent_fixer","name":"fixer","version":1},"metadata":{"team":"platform"}}""");
		String malformedSession = TestEvents.sessionId();
		this.upstream.createSession(malformedSession);
		ingest(malformedSession, TodayEvents.pausedTurn().get(0));
		this.upstream.setSessionFields(malformedSession, "{\"metadata\":[\"team\"]}");
		double before = malformed("metadata");
		sweepNow();
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("agent_id").asString()).isEqualTo("agent_fixer");
		assertThat(snapshot.get("agent_version").asString()).isEqualTo("1");
		assertThat(snapshot.get("environment_id").isNull()).as("absent from the latest listing").isTrue();
		assertThat(snapshot.get("metadata").get("team").asString()).isEqualTo("platform");
		assertThat(snapshot.get("metadata").has("project")).isFalse();
		assertThat(trackedSession(malformedSession).get("snapshot").get("metadata").isNull()).isTrue();
		assertThat(malformed("metadata")).isEqualTo(before + 1);
	}

	private double malformed(String field) {
		Counter counter = this.meters.find("qoder.snapshots.malformed").tag("field", field).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private JsonNode trackedSession(String session) {
		return Api.json(this.api.get("/api/v1/tracked-sessions/{id}", session));
	}

	/** Sweeps now, whoever swept last: the lease of an earlier sweep is let go first. */
	private Result sweepNow() {
		this.jdbc.sql("update job_lease set lease_until = now() - interval '1 second'").update();
		return this.sweep.sweep().orElseThrow();
	}

	private List<String> dueNow() {
		return this.jdbc.sql("select session_id from tracked_session where changed or sync_requested")
			.query(String.class)
			.list();
	}

	private List<String> sweptSince(OffsetDateTime start) {
		return this.jdbc.sql("select session_id from session_snapshot where read_at >= ?")
			.param(start)
			.query(String.class)
			.list();
	}

	private Map<String, Object> snapshot(String session) {
		return this.jdbc.sql("select * from session_snapshot where session_id = ?").param(session).query().singleRow();
	}

	private static String event(String session, String type) {
		return TestEvents.ofType(session, TestEvents.eventId(), type, Instant.now().toString());
	}

	private int listRequests() {
		return (int) this.upstream.requestLog().stream().filter((line) -> line.startsWith("/sessions?")).count();
	}

}
