package io.qoderevents.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.qoderevents.IntegrationTest;
import io.qoderevents.QoderEventsApplication;
import io.qoderevents.TestDatabase;
import io.qoderevents.TestEvents;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service is killed (SIGKILL) in the middle of a long multi-page poll, then started
 * again.
 */
class CrashRestartTests extends IntegrationTest {

	private static final int EVENTS = 4000;

	@Autowired
	private TrackingService tracking;

	@Value("${server.port}")
	private int port;

	@Test
	void pollWhenServiceKilledMidPollThenRestartEndsEqualToUpstream() throws Exception {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.appendAll(session, TestEvents.events(session, EVENTS));
		this.upstream.delayNext(session, 1000, Duration.ofMillis(60));
		this.tracking.track(session);
		Process service = start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			while (storedCount(session) < 800 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(storedCount(session)).as("the poll started").isBetween(800L, EVENTS - 1L);
		}
		finally {
			service.destroyForcibly().waitFor();
		}
		long atCrash = storedCount(session);
		assertThat(atCrash).isLessThan(EVENTS);
		assertThat(this.jdbc.sql("select lease_owner from tracked_session where session_id = ?")
			.param(session)
			.query(String.class)
			.single()).as("the dead instance still holds the lease").isNotNull();
		Process restarted = start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			while (storedCount(session) < EVENTS && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
		}
		finally {
			restarted.destroy();
			restarted.waitFor();
		}
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertThat(
				this.jdbc.sql("select min(sequence) = 1 and max(sequence) = count(*) from event where session_id = ?")
					.param(session)
					.query(Boolean.class)
					.single())
			.isTrue();
		assertThat(row(session).get("event_count")).isEqualTo((long) EVENTS);
	}

	private long storedCount(String session) {
		return count("select count(*) from event where session_id = ?", session);
	}

	/** The service in its own JVM, polling this test's simulated upstream. */
	private Process start() throws Exception {
		TestDatabase database = TestDatabase.get();
		Path log = Files.createTempFile("qoder-events-crash", ".log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				QoderEventsApplication.class.getName(), "--spring.profiles.active=demo", "--server.port=" + freePort(),
				"--management.server.port=" + freePort(), "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(),
				"--qoder.upstream.base-url=http://127.0.0.1:" + this.port + "/demo/upstream/api/v1/cloud",
				"--qoder.upstream.max-requests-per-second=1000", "--qoder.demo.sessions=0",
				"--qoder.demo.generate=false", "--qoder.ingest.tick=100ms", "--qoder.ingest.lease=2s")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

}
