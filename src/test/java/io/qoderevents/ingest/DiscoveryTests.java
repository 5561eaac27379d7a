package io.qoderevents.ingest;

import java.util.ArrayList;
import java.util.List;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = { "qoder.ingest.discovery=true", "qoder.ingest.discovery-interval=1h" })
class DiscoveryTests extends IntegrationTest {

	@Autowired
	private DiscoveryService discovery;

	@Test
	void discoverWhenAccountListsSessionsOverSeveralPagesThenAllTracked() {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 130; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			sessions.add(session);
		}
		this.discovery.discover();
		this.discovery.discover();
		assertThat(this.jdbc.sql("select session_id from tracked_session").query(String.class).list())
			.containsExactlyInAnyOrderElementsOf(sessions);
	}

}
