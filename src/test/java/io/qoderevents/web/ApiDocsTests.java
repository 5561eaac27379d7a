package io.qoderevents.web;

import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocsTests extends IntegrationTest {

	@Test
	void apiDocsWhenRequestedThenEveryEndpointWithSnakeCaseSchemas() {
		String docs = this.api.getRaw("/v3/api-docs").body();
		assertThat(docs)
			.contains("\"/api/v1/tracked-sessions\"", "\"/api/v1/tracked-sessions/{session_id}\"",
					"\"/api/v1/tracked-sessions/{session_id}/sync\"", "\"/api/v1/events\"",
					"\"/api/v1/sessions/{session_id}/events\"", "\"/api/v1/sessions/{session_id}/usage\"",
					"\"/api/v1/usage\"", "\"/api/v1/errors\"", "\"/api/v1/sessions/{session_id}/errors\"",
					"\"/api/v1/webhooks/qoder\"", "\"webhook-signature\"")
			.contains("\"next_cursor\"", "\"event_count\"", "\"total_tokens\"")
			.doesNotContain("\"nextCursor\"", "\"eventCount\"", "/demo/upstream");
		assertThat(this.api.getRaw("/swagger-ui.html").status()).isIn(200, 302);
	}

}
