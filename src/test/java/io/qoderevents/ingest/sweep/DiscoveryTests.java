package io.qoderevents.ingest.sweep;

import java.util.ArrayList;
import java.util.List;

import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With discovery on, the sweep's pages also track what the account lists. */
@TestPropertySource(properties = "qoder.ingest.discovery=true")
class DiscoveryTests extends IntegrationTest {

	@Autowired
	private SweepService sweep;

	@Test
	void sweepWhenAccountListsSessionsOverSeveralPagesThenAllButArchivedTrackedWithTheirSnapshots() {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 130; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			sessions.add(session);
		}
		this.upstream.archiveSession(sessions.get(0));
		int before = this.upstream.requestLog().size();
		SweepService.Result result = this.sweep.sweep().orElseThrow();
		assertThat(result.discovered()).isEqualTo(129);
		assertThat(this.upstream.requestLog().size() - before).isEqualTo(2);
		assertThat(this.jdbc.sql("select session_id from tracked_session").query(String.class).list())
			.containsExactlyInAnyOrderElementsOf(sessions.subList(1, 130));
		assertThat(count("select count(*) from session_snapshot where read_at is not null")).isEqualTo(129);
	}

}
