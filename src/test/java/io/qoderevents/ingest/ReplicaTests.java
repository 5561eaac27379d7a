package io.qoderevents.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Two more instances of the service on the same database share the tracked sessions. */
class ReplicaTests extends IntegrationTest {

	private static final Pattern AFTER_ID = Pattern.compile("/sessions/(sess_[0-9a-f]+)/events\\?.*?after_id=([^&]*)|"
			+ "/sessions/(sess_[0-9a-f]+)/events\\?limit=\\d+$");

	@Autowired
	private TrackingService tracking;

	@Value("${server.port}")
	private int port;

	@Test
	void pollWhenTwoReplicasShareOneDatabaseThenNoSessionPolledTwiceAndEveryEventStoredOnce() throws Exception {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			this.upstream.appendAll(session, TestEvents.events(session, 250 + i * 7));
			sessions.add(session);
		}
		// pages take a while, so that both replicas are busy at the same time
		this.upstream.delayNext(null, 10_000, Duration.ofMillis(25));
		try (ConfigurableApplicationContext first = replica(); ConfigurableApplicationContext second = replica()) {
			sessions.forEach(this.tracking::track);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (storedTotal() < expectedTotal(sessions) && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(pagesFetched(first)).isPositive();
			assertThat(pagesFetched(second)).isPositive();
		}
		for (String session : sessions) {
			assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
			assertThat(this.jdbc.sql("select max(sequence) = count(*) from event where session_id = ?")
				.param(session)
				.query(Boolean.class)
				.single()).isTrue();
		}
		// with a one-hour poll interval each page is requested exactly once: no session
		// was polled by both
		Map<String, Integer> requests = new HashMap<>();
		for (String request : this.upstream.requestLog()) {
			Matcher matcher = AFTER_ID.matcher(request);
			if (matcher.find()) {
				String key = (matcher.group(1) != null) ? matcher.group(1) + "@" + matcher.group(2)
						: matcher.group(3) + "@start";
				requests.merge(key, 1, Integer::sum);
			}
		}
		assertThat(requests).isNotEmpty().allSatisfy((page, count) -> assertThat(count).as(page).isEqualTo(1));
	}

	private long storedTotal() {
		return count("select count(*) from event");
	}

	private long expectedTotal(List<String> sessions) {
		return sessions.stream().mapToLong((session) -> this.upstream.eventIds(session).size()).sum();
	}

	private static double pagesFetched(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class).counter("qoder.pages.fetched").count();
	}

	private ConfigurableApplicationContext replica() {
		return replica("--qoder.ingest.tick=50ms", "--qoder.ingest.poll-interval=1h", "--qoder.ingest.concurrency=3",
				"--qoder.ingest.claim-batch=2");
	}

}
