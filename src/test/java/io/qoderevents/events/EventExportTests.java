package io.qoderevents.events;

import java.time.Instant;
import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.qoderevents.Api.JSON;
import static io.qoderevents.Api.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

class EventExportTests extends IntegrationTest {

	private static final Instant T0 = Instant.parse("2026-05-18T03:40:48Z");

	@Test
	void exportWhenNdjsonThenEveryMatchingEventOnOneLine() {
		String a = TestEvents.sessionId();
		String b = TestEvents.sessionId();
		ingest(a, TestEvents.events(a, 1234));
		ingest(b, TestEvents.events(b, 5));
		Response all = this.api.fetch("application/x-ndjson", "/api/v1/events");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.contentType()).startsWith("application/x-ndjson");
		assertThat(all.body()).endsWith("\n");
		List<String> lines = all.body().lines().toList();
		assertThat(lines).hasSize(1239);
		JsonNode first = JSON.readTree(lines.get(0));
		assertThat(first.get("created_at").asString()).isEqualTo("2026-05-18T03:40:48.888851795Z");
		assertThat(first.get("payload").get("content").asString()).isEqualTo("Hello, this is a test message.");
		Api.assertInvalid(this.api.fetch("application/x-ndjson", "/api/v1/sessions/{id}/events?limit=1", a), "limit");
		List<String> session = this.api.fetch("application/x-ndjson", "/api/v1/sessions/{id}/events", a)
			.body()
			.lines()
			.map((line) -> JSON.readTree(line).get("id").asString())
			.toList();
		assertThat(session).isEqualTo(this.upstream.eventIds(a));
		assertThat(this.api.fetch("application/x-ndjson", "/api/v1/events?session_id={b}", b).body().lines())
			.hasSize(5);
	}

	@Test
	void exportWhenCsvThenHeaderAndRfc4180Quoting() {
		String session = TestEvents.sessionId();
		String odd = """
				{"id":"evt_q1","type":"odd,\\"type\\"\\r\\nnext","turn_id":"turn_\u00e9\u4e2d","session_id":"%s",\
				"created_at":"2026-05-18T03:40:48.888851795Z"}""".formatted(session);
		ingest(session, List.of(odd, TestEvents.message(session, "evt_q2", T0.plusSeconds(1))));
		Response csv = this.api.fetch("text/csv", "/api/v1/sessions/{id}/events", session);
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.contentType()).startsWith("text/csv");
		String[] lines = csv.body().split("\r\n(?=(evt_|$))");
		assertThat(lines[0]).isEqualTo("id,session_id,sequence,type,turn_id,created_at,processed_at,ingested_at");
		assertThat(lines[1]).startsWith("evt_q1," + session
				+ ",1,\"odd,\"\"type\"\"\r\nnext\",turn_\u00e9\u4e2d,2026-05-18T03:40:48.888851795Z,,");
		assertThat(lines[2]).startsWith("evt_q2," + session + ",2,user.message,turn_019e392c0d787ceea6bb62943f9ac3ec,"
				+ "2026-05-18T03:40:49Z,2026-05-18T03:40:49Z,");
		assertThat(lines).hasSize(3);
		assertThat(this.api.fetch("text/csv", "/api/v1/events?type=user.message").body().split("\r\n")).hasSize(2);
	}

	@Test
	void exportWhenInvalidOrUnknownThenProblem() {
		assertInvalid(this.api.fetch("application/x-ndjson", "/api/v1/events?since=nope"), "since");
		assertInvalid(this.api.fetch("text/csv", "/api/v1/events?session_id=bad"), "session_id");
		Response unknown = this.api.fetch("text/csv", "/api/v1/sessions/{id}/events", TestEvents.sessionId());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertThat(unknown.body()).doesNotContain("\"errors\"");
	}

}
