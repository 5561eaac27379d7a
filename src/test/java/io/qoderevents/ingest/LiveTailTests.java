package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.ingest.live.LiveTail;
import io.qoderevents.ingest.live.StreamLeaseClaims;
import io.qoderevents.tracking.TrackingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running sessions read from the simulated upstream's event stream over real HTTP, into
 * the real database: what is stored, how streams end, and how they share sessions with
 * the poller and with other replicas.
 */
@TestPropertySource(properties = "qoder.ingest.live-tail.silence-timeout=2s")
class LiveTailTests extends IntegrationTest {

	@Autowired
	private LiveTail liveTail;

	@Autowired
	private SessionPoller poller;

	private StreamLeaseClaims leases;

	@Autowired
	private TrackingService tracking;

	@Autowired
	private MeterRegistry meters;

	@BeforeEach
	void streamLeases() {
		this.leases = new StreamLeaseClaims(this.jdbc);
	}

	@BeforeEach
	void heartbeatsWellWithinTheSilenceTimeout() {
		this.upstream.streamHeartbeat(Duration.ofMillis(200));
	}

	@AfterEach
	void closeStreams() throws InterruptedException {
		this.liveTail.closeAll();
	}

	@Test
	void openRunningWhenSessionRunsThenStreamsFromTheCursorAndClosesAtTheIdle() throws Exception {
		String session = running(3);
		String cursor = (String) row(session).get("cursor");
		double idleEnds = ends("idle");
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.upstream.openStreams(session) == 1);
		assertThat(this.upstream.requestLog()).last()
			.isEqualTo("/sessions/" + session + "/events/stream?last_event_id=" + cursor);
		appendMessages(session, 5);
		await(() -> stored(session).size() == 9);
		// the poller leaves a streamed session alone, even when asked to sync it
		int listRequests = listRequests(session);
		assertThat(syncNow(session)).isZero();
		assertThat(listRequests(session)).isEqualTo(listRequests);
		this.upstream.append(session, TestEvents.idle(session, TestEvents.eventId(), TestEvents.turnId(),
				Instant.now().toString(), 1, 2, 0, 0));
		await(() -> this.liveTail.openStreams() == 0);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 10);
		assertThat(row(session)).containsEntry("lease_owner", null).containsEntry("cursor", last(session));
		assertThat(ends("idle")).isEqualTo(idleEnds + 1);
		// read live up to the idle: polled again after poll-interval, a sync requested
		// meanwhile answered, the stream's events counted as activity
		assertThat(row(session)).containsEntry("sync_requested", false).containsEntry("running", false);
		assertThat(count("select count(*) from tracked_session where session_id = ? and next_poll_at > now()"
				+ " and active_at > now() - interval '1 minute'", session))
			.isOne();
		assertThat(this.liveTail.openRunning()).isZero();
	}

	@Test
	void readSnapshotsWhenAStreamStoredEventsThenReadAsAPollWouldReadIt() throws Exception {
		String session = running(3);
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.upstream.openStreams(session) == 1);
		// the poll of the history read the snapshot; an interval has passed since
		this.jdbc
			.sql("update session_snapshot set read_at = now() - interval '1 hour', read_tried_at = now() - interval"
					+ " '1 hour' where session_id = ?")
			.param(session)
			.update();
		assertThat(this.liveTail.readSnapshots()).as("the stream stored nothing yet").isZero();
		appendMessages(session, 2);
		await(() -> stored(session).size() == 6);
		long reads = snapshotReads(session);
		assertThat(this.liveTail.readSnapshots()).isOne();
		assertThat(snapshotReads(session)).isEqualTo(reads + 1);
		assertThat(count("select count(*) from session_snapshot where session_id = ? and read_at >= events_stored_at",
				session))
			.isOne();
		appendMessages(session, 1);
		await(() -> stored(session).size() == 7);
		assertThat(this.liveTail.readSnapshots()).as("not again within the interval").isZero();
		assertThat(snapshotReads(session)).isEqualTo(reads + 1);
	}

	@Test
	void openRunningWhenSessionHasNoCursorThenLeftToThePoller() {
		String session = TestEvents.sessionId();
		this.upstream.createSession(session);
		this.upstream.append(session,
				TestEvents.ofType(session, TestEvents.eventId(), "session.status_running", Instant.now().toString()));
		this.tracking.track(session);
		this.jdbc.sql("insert into session_snapshot (session_id, status) values (?, 'running')")
			.param(session)
			.update();
		assertThat(this.liveTail.openRunning()).isZero();
		assertThat(this.upstream.streamOpens()).isZero();
	}

	@Test
	void streamWhenHeartbeatsPingsAndDeltasArriveThenOnlyEventsStored() throws Exception {
		String session = running(1);
		this.upstream.injectIntoStream(session, 0, ": heartbeat\n\n");
		this.upstream.injectIntoStream(session, 0, "event: ping\ndata: {}\n\n");
		this.upstream.injectIntoStream(session, 0, "event: heartbeat\ndata: {}\n\n");
		this.upstream.injectIntoStream(session, 1, "event: event_start\ndata: {\"type\":\"event_start\"}\n\n");
		this.upstream.injectIntoStream(session, 1,
				"event: event_delta\ndata: {\"type\":\"event_delta\",\"delta\":\"Hel\"}\n\n");
		double deltas = frames("delta");
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		appendMessages(session, 3);
		await(() -> stored(session).size() == 5);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertThat(row(session)).containsEntry("quarantined_count", 0L);
		assertThat(frames("delta")).isEqualTo(deltas + 2);
		assertThat(this.liveTail.openStreams()).isOne();
	}

	@Test
	void streamWhenErrorFrameThenEndsWhatCameIsStoredAndThePollReadsTheRest() throws Exception {
		String session = running(1);
		this.upstream.injectIntoStream(session, 2,
				"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}\n\n");
		assertHandedBackAfter(session, "error_frame");
	}

	@Test
	void streamWhenDroppedMidFrameThenThePartialFrameIsDroppedAndThePollReadsTheRest() throws Exception {
		String session = running(1);
		this.upstream.injectIntoStream(session, 2,
				"id: evt_partial\nevent: user.message\ndata: {\"id\":\"evt_partial\",\"ty");
		this.upstream.injectIntoStream(session, 2, null);
		assertHandedBackAfter(session, "disconnected");
		assertThat(row(session)).containsEntry("quarantined_count", 0L);
	}

	@Test
	void streamWhenUpstreamRefusesTheResumeIdThenHandedBackToPolling() throws Exception {
		String session = running(2);
		this.jdbc.sql("update tracked_session set cursor = 'evt_unknown' where session_id = ?").param(session).update();
		double rejected = ends("rejected");
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.liveTail.openStreams() == 0);
		assertThat(ends("rejected")).isEqualTo(rejected + 1);
		assertThat(row(session)).containsEntry("lease_owner", null);
		// the cooldown leaves it to the poller, which re-reads the session from the start
		assertThat(this.liveTail.openRunning()).isZero();
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
	}

	@Test
	void streamWhenSilentLongerThanTheTimeoutThenHandedBackToPolling() throws Exception {
		String session = running(1);
		this.upstream.streamHeartbeat(Duration.ofHours(1));
		double silences = ends("silence");
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.liveTail.openStreams() == 0);
		assertThat(ends("silence")).isEqualTo(silences + 1);
		assertThat(row(session)).containsEntry("lease_owner", null);
	}

	@Test
	void streamWhenSessionTerminatesThenCompletedAndOffTheSchedule() throws Exception {
		String session = running(1);
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		appendMessages(session, 2);
		this.upstream.append(session, TestEvents.ofType(session, TestEvents.eventId(), "session.status_terminated",
				Instant.now().toString()));
		await(() -> this.liveTail.openStreams() == 0);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertThat(row(session)).containsEntry("state", "completed")
			.containsEntry("lease_owner", null)
			.containsEntry("next_poll_at", null);
	}

	@Test
	void openRunningWhenMoreRunningThanMaxStreamsThenOpensMaxStreams() throws Exception {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 22; i++) {
			sessions.add(running(1));
		}
		assertThat(this.liveTail.openRunning()).isEqualTo(20);
		assertThat(this.liveTail.openRunning()).isZero();
		assertThat(this.liveTail.openStreams()).isEqualTo(20);
		await(() -> sessions.stream().mapToInt(this.upstream::openStreams).sum() == 20);
		assertThat(count("select count(*) from tracked_session where lease_owner like '%/stream'")).isEqualTo(20);
	}

	@Test
	void streamAndPollWhenRacingOnOneSessionThenAnExactCopyWithoutGaps() throws Exception {
		String session = running(1);
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.upstream.openStreams(session) == 1);
		for (int round = 0; round < 20; round++) {
			appendMessages(session, 7);
			// a poll that ignores the stream's lease, as one whose lease ran out would
			String cursor = (String) row(session).get("cursor");
			this.poller.poll(new Claim(session, cursor, 0, null, null, null, null, false, false), "racing-poller");
		}
		this.liveTail.closeAll();
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 142);
	}

	@Test
	void claimRunningWhenTwoReplicasAtOnceThenOneStreamsTheSession() throws Exception {
		String session = running(1);
		List<Integer> claimed = twoAtOnce(() -> this.leases
			.claimRunning("replica-" + Thread.currentThread().getId() + "/stream", Duration.ofMinutes(1), 5, List.of())
			.size());
		assertThat(claimed).containsExactlyInAnyOrder(0, 1);
		assertThat(this.liveTail.openRunning()).isZero();
		assertThat(this.upstream.streamOpens()).isZero();
	}

	@Test
	void streamWhenAnotherReplicaStreamsAndRestartsThenOneStreamAtATimeResumedFromTheStoredCursor() throws Exception {
		String session = running(2);
		try (ConfigurableApplicationContext replica = replica("--qoder.ingest.tick=100ms",
				"--qoder.ingest.poll-interval=1h")) {
			await(() -> this.upstream.openStreams(session) == 1);
			assertThat(this.liveTail.openRunning()).isZero();
			appendMessages(session, 4);
			await(() -> stored(session).size() == 7);
			assertThat(this.liveTail.openRunning()).isZero();
			assertThat(this.upstream.mostOpenStreams(session)).isOne();
		}
		appendMessages(session, 3);
		String cursor = (String) row(session).get("cursor");
		assertThat(cursor).isEqualTo(this.upstream.eventIds(session).get(6));
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> stored(session).size() == 10);
		assertThat(this.upstream.requestLog()).filteredOn((request) -> request.contains("/events/stream"))
			.last()
			.isEqualTo("/sessions/" + session + "/events/stream?last_event_id=" + cursor);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
	}

	/**
	 * Four events go upstream after the stream opened; the stream ends after the first
	 * two. They are stored, the session is handed back at once, and a poll stores the
	 * rest: an exact copy.
	 */
	private void assertHandedBackAfter(String session, String reason) throws Exception {
		double before = ends(reason);
		assertThat(this.liveTail.openRunning()).isEqualTo(1);
		await(() -> this.upstream.openStreams(session) == 1);
		appendMessages(session, 4);
		await(() -> this.liveTail.openStreams() == 0);
		assertThat(ends(reason)).isEqualTo(before + 1);
		assertThat(stored(session)).hasSize(4).containsExactlyElementsOf(this.upstream.eventIds(session).subList(0, 4));
		assertThat(row(session)).containsEntry("lease_owner", null);
		assertThat(
				count("select count(*) from tracked_session where session_id = ? and next_poll_at <= now()", session))
			.isOne();
		assertThat(this.liveTail.openRunning()).isZero();
		syncNow(session);
		assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
		assertSequences(session, 6);
	}

	/**
	 * A tracked session with {@code history} messages and then a
	 * {@code session.status_running}, polled once, so it has a cursor.
	 */
	private String running(int history) {
		String session = TestEvents.sessionId();
		List<String> events = new ArrayList<>(TestEvents.events(session, history));
		events
			.add(TestEvents.ofType(session, TestEvents.eventId(), "session.status_running", Instant.now().toString()));
		ingest(session, events);
		assertThat(stored(session)).hasSize(history + 1);
		return session;
	}

	private void appendMessages(String session, int count) {
		for (int i = 0; i < count; i++) {
			this.upstream.append(session, TestEvents.message(session, TestEvents.eventId(), Instant.now()));
		}
	}

	private String last(String session) {
		List<String> ids = this.upstream.eventIds(session);
		return ids.get(ids.size() - 1);
	}

	private int listRequests(String session) {
		return (int) this.upstream.requestLog()
			.stream()
			.filter((request) -> request.startsWith("/sessions/" + session + "/events?"))
			.count();
	}

	private long snapshotReads(String session) {
		return this.upstream.requestLog().stream().filter(("/sessions/" + session)::equals).count();
	}

	private double ends(String reason) {
		return this.meters.counter("qoder.live.tail.ends", "reason", reason).count();
	}

	private double frames(String kind) {
		return this.meters.counter("qoder.live.tail.frames", "kind", kind).count();
	}

}
