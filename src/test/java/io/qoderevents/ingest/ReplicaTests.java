package io.qoderevents.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
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

	/**
	 * Each page is requested once, except where one instance legitimately asks again: a
	 * retry of a transient failure inside one call (the replicas run with the default
	 * three attempts), the poll after a stream hands its session back, and the poll of a
	 * session a sweep marked changed while its first poll was under way. What must hold
	 * is that no instance ever takes a session whose lease another still holds.
	 */
	@Test
	void pollWhenTwoReplicasShareOneDatabaseThenNoSessionLeasedByBothAtOnceAndEveryEventStoredOnce() throws Exception {
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String session = TestEvents.sessionId();
			this.upstream.createSession(session);
			this.upstream.appendAll(session, TestEvents.events(session, 250 + i * 7));
			sessions.add(session);
		}
		// pages take a while, so that both replicas are busy at the same time
		this.upstream.delayNext(null, 10_000, Duration.ofMillis(25));
		// a transient failure, retried inside one call: one instance asks for the page
		// twice
		this.upstream.failNext(sessions.get(0), 1, 503, Map.of(), null);
		watchLeases();
		double retries;
		try (ConfigurableApplicationContext first = replica(); ConfigurableApplicationContext second = replica()) {
			sessions.forEach(this.tracking::track);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (storedTotal() < expectedTotal(sessions) && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(pagesFetched(first)).isPositive();
			assertThat(pagesFetched(second)).isPositive();
			retries = retries(first) + retries(second);
		}
		try {
			for (String session : sessions) {
				assertThat(stored(session)).containsExactlyElementsOf(this.upstream.eventIds(session));
				assertThat(this.jdbc.sql("select max(sequence) = count(*) from event where session_id = ?")
					.param(session)
					.query(Boolean.class)
					.single()).isTrue();
			}
			assertThat(count("select count(*) from replica_tests_claim")).isGreaterThanOrEqualTo(sessions.size());
			assertThat(this.jdbc.sql("""
					select session_id || ' taken by ' || owner || ' from ' || previous_owner from replica_tests_claim
					where previous_owner is not null and previous_until >= taken_at""").query(String.class).list())
				.as("sessions taken while another instance held them")
				.isEmpty();
			Map<String, Long> repeated = repeatedPages();
			assertThat(retries).isPositive();
			assertThat(repeated.get(sessions.get(0))).isPositive();
			assertThat(repeated).allSatisfy((session, repeats) -> assertThat(repeats).as(session)
				.isLessThanOrEqualTo((long) retries + handbacks(session) + marks(session)));
		}
		finally {
			unwatchLeases();
		}
	}

	/** Records every lease taken and every change mark on {@code tracked_session}. */
	private void watchLeases() {
		unwatchLeases();
		this.jdbc.sql("""
				create table replica_tests_claim (session_id text, owner text, previous_owner text,
				    previous_until timestamptz, taken_at timestamptz)""").update();
		this.jdbc.sql("create table replica_tests_mark (session_id text)").update();
		this.jdbc.sql("""
				create function replica_tests_watch() returns trigger language plpgsql as $$
				begin
				    if new.lease_owner is not null and new.lease_owner is distinct from old.lease_owner then
				        insert into replica_tests_claim
				        values (new.session_id, new.lease_owner, old.lease_owner, old.lease_until, clock_timestamp());
				    end if;
				    if new.changed and not old.changed then
				        insert into replica_tests_mark values (new.session_id);
				    end if;
				    return new;
				end $$""").update();
		this.jdbc.sql("""
				create trigger replica_tests_watch after update on tracked_session
				for each row execute function replica_tests_watch()""").update();
	}

	private void unwatchLeases() {
		this.jdbc.sql("drop trigger if exists replica_tests_watch on tracked_session").update();
		this.jdbc.sql("drop function if exists replica_tests_watch()").update();
		this.jdbc.sql("drop table if exists replica_tests_claim, replica_tests_mark").update();
	}

	/** Per session, how many of its page requests asked for a page it had asked for. */
	private Map<String, Long> repeatedPages() {
		Map<String, Integer> requests = new HashMap<>();
		for (String request : this.upstream.requestLog()) {
			Matcher matcher = AFTER_ID.matcher(request);
			if (matcher.find()) {
				String key = (matcher.group(1) != null) ? matcher.group(1) + "@" + matcher.group(2)
						: matcher.group(3) + "@start";
				requests.merge(key, 1, Integer::sum);
			}
		}
		assertThat(requests).isNotEmpty();
		Map<String, Long> repeated = new HashMap<>();
		requests.forEach((page, count) -> repeated.merge(page.substring(0, page.indexOf('@')), count - 1L, Long::sum));
		return repeated;
	}

	/**
	 * Streams of the session opened: each ends by handing the session back to polling.
	 */
	private long handbacks(String session) {
		return this.upstream.requestLog()
			.stream()
			.filter((request) -> request.startsWith("/sessions/" + session + "/events/stream"))
			.count();
	}

	private long marks(String session) {
		return count("select count(*) from replica_tests_mark where session_id = ?", session);
	}

	private static double retries(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.find("qoder.upstream.retries")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
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
