package io.qoderevents.ingest;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.Api;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;
import io.qoderevents.demo.UpstreamShape;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attribution kept from each snapshot (a session read or a listing's element): agent,
 * environment, title and metadata, overwritten by the latest, on both upstream shapes,
 * and tolerated when malformed. The sweep's listings: {@code SweepTests}.
 */
class SessionAttributionTests extends IntegrationTest {

	private static final String REVIEWER = """
			{"agent":{"id":"agent_reviewer","type":"agent","version":3,"name":"reviewer",\
			"model":{"id":"ultimate","effective_context_window":200000},"tools":[]},\
			"environment_id":"env_ci","metadata":{"team":"payments","project":"ledger"}}""";

	@Autowired
	private MeterRegistry meters;

	@Test
	void snapshotWhenSessionCarriesAttributionThenTrackedSessionShowsIt() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.setSessionFields(session, REVIEWER);
		ingest(session, TodayEvents.pausedTurn().get(0));
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("agent_id").asString()).isEqualTo("agent_reviewer");
		assertThat(snapshot.get("agent_name").asString()).isEqualTo("reviewer");
		assertThat(snapshot.get("agent_version").asString()).isEqualTo("3");
		assertThat(snapshot.get("environment_id").asString()).isEqualTo("env_ci");
		assertThat(snapshot.get("title").asString())
			.isEqualTo("Demo session " + session.substring(session.length() - 4));
		assertThat(snapshot.get("model").asString()).isEqualTo("ultimate");
		assertThat(snapshot.get("metadata").get("team").asString()).isEqualTo("payments");
		assertThat(snapshot.get("metadata").get("project").asString()).isEqualTo("ledger");
		assertThat(stored(session, "metadata ->> 'team'")).isEqualTo("payments");
		JsonNode listed = Api.json(this.api.get("/api/v1/tracked-sessions")).get("data").get(0);
		assertThat(listed.get("snapshot").get("agent_id").asString()).isEqualTo("agent_reviewer");
		assertThat(listed.get("snapshot").get("metadata").get("team").asString()).isEqualTo("payments");
	}

	@Test
	void snapshotWhenMetadataChangedUpstreamThenTheLatestWinsAndARemovedKeyIsAbsent() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.setSessionFields(session, REVIEWER);
		ingest(session, TodayEvents.pausedTurn().get(0));
		this.upstream.setSessionFields(session, """
				{"agent":{"id":"agent_fixer","type":"agent","version":"7","name":"fixer","model":"ultimate"},\
				"environment_id":"env_prod","metadata":{"team":"platform"}}""");
		this.upstream.appendAll(session, TodayEvents.pausedTurn().get(1));
		snapshotIntervalPassed(session);
		syncNow(session);
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("agent_id").asString()).isEqualTo("agent_fixer");
		assertThat(snapshot.get("agent_name").asString()).isEqualTo("fixer");
		assertThat(snapshot.get("agent_version").asString()).isEqualTo("7");
		assertThat(snapshot.get("environment_id").asString()).isEqualTo("env_prod");
		assertThat(snapshot.get("metadata").get("team").asString()).isEqualTo("platform");
		assertThat(snapshot.get("metadata").has("project")).isFalse();
		assertThat(stored(session, "metadata ->> 'project'")).isNull();
	}

	@Test
	void snapshotWhenPrimaryShapeWithAPlainAgentIdThenItIsTheAgent() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session, UpstreamShape.V0);
		this.upstream.setSessionFields(session, """
				{"agent":null,"agent_id":"agent_legacy","metadata":{"cost_centre":"cc-42"}}""");
		ingest(session, List
			.of(TestEvents.idle(session, "evt_v1", TestEvents.turnId(), "2026-05-18T03:41:00Z", 150, 42, 0, 0)));
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("agent_id").asString()).isEqualTo("agent_legacy");
		assertThat(snapshot.get("agent_name").isNull()).isTrue();
		assertThat(snapshot.get("agent_version").isNull()).isTrue();
		assertThat(snapshot.get("environment_id").isNull()).isTrue();
		assertThat(snapshot.get("metadata").get("cost_centre").asString()).isEqualTo("cc-42");
	}

	@Test
	void snapshotWhenPrimaryShapeSessionObjectThenItsAgentObjectIsRead() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session, UpstreamShape.V0);
		ingest(session, List
			.of(TestEvents.idle(session, "evt_v1", TestEvents.turnId(), "2026-05-18T03:41:00Z", 150, 42, 0, 0)));
		JsonNode snapshot = trackedSession(session).get("snapshot");
		assertThat(snapshot.get("agent_id").asString()).isEqualTo("agt_demo");
		assertThat(snapshot.get("agent_name").asString()).isEqualTo("demo agent");
		assertThat(snapshot.get("model").asString()).isEqualTo("qwen3-coder");
		assertThat(snapshot.get("metadata").isEmpty()).isTrue();
	}

	@Test
	void trackedSessionWhenNoSnapshotReadYetThenSnapshotIsNull() {
		String session = tracked(2);
		assertThat(trackedSession(session).get("snapshot").isNull()).isTrue();
		assertThat(Api.json(this.api.get("/api/v1/tracked-sessions")).get("data").get(0).get("snapshot").isNull())
			.isTrue();
		assertThat(count("select count(*) from session_snapshot where session_id = ?", session)).isZero();
	}

	@Test
	void snapshotWhenAttributionMalformedThenStoredAsNullCountedAndTheSnapshotKept() {
		double before = malformed("metadata") + malformed("agent") + malformed("environment_id");
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.setSessionFields(session, """
				{"agent":["agent_x"],"environment_id":42,"metadata":"team=payments"}""");
		ingest(session, TodayEvents.pausedTurn().get(0));
		JsonNode tracked = trackedSession(session);
		assertThat(tracked.get("event_count").asLong()).isEqualTo(7);
		assertThat(tracked.get("state").asString()).isEqualTo("active");
		JsonNode snapshot = tracked.get("snapshot");
		assertThat(snapshot.get("status").asString()).isEqualTo("idle");
		assertThat(snapshot.get("title").isString()).isTrue();
		assertThat(snapshot.get("agent_id").isNull()).isTrue();
		assertThat(snapshot.get("agent_name").isNull()).isTrue();
		assertThat(snapshot.get("environment_id").isNull()).isTrue();
		assertThat(snapshot.get("metadata").isNull()).isTrue();
		assertThat(malformed("metadata") + malformed("agent") + malformed("environment_id")).isEqualTo(before + 3);
	}

	@Test
	void snapshotWhenMetadataValuesAreNotStringsThenKeptAsGiven() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.setSessionFields(session, """
				{"metadata":{"team":"payments","priority":2,"tags":["a","b"],"owner":null}}""");
		ingest(session, TodayEvents.pausedTurn().get(0));
		JsonNode metadata = trackedSession(session).get("snapshot").get("metadata");
		assertThat(metadata.get("priority").asInt()).isEqualTo(2);
		assertThat(metadata.get("tags")).hasSize(2);
		assertThat(metadata.get("owner").isNull()).isTrue();
		assertThat(stored(session, "jsonb_typeof(metadata -> 'priority')")).isEqualTo("number");
		assertThat(stored(session, "metadata ->> 'priority'")).isEqualTo("2");
	}

	private double malformed(String field) {
		Counter counter = this.meters.find("qoder.snapshots.malformed").tag("field", field).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private String stored(String session, String expression) {
		return this.jdbc.sql("select " + expression + " from session_snapshot where session_id = ?")
			.param(session)
			.query(String.class)
			.list()
			.get(0);
	}

	private JsonNode trackedSession(String session) {
		return Api.json(this.api.get("/api/v1/tracked-sessions/{id}", session));
	}

	private void snapshotIntervalPassed(String session) {
		this.jdbc
			.sql("update session_snapshot set read_tried_at = read_tried_at - interval '1 hour' where session_id = ?")
			.param(session)
			.update();
	}

}
