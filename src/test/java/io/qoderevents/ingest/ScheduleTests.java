package io.qoderevents.ingest;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The schedule's decisions on a fixed instant: no clock moves, nothing sleeps. */
class ScheduleTests {

	private static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");

	private final Schedule schedule = new Schedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30),
			Duration.ofMinutes(5), 0.2);

	@ParameterizedTest(name = "quiet {0}, status {1} read {2} ago -> {3}")
	@CsvSource(nullValues = "-", textBlock = """
			# quiet for, upstream status, read ago, next poll in
			PT0S,     -,            -,      PT5S
			PT19S,    idle,         PT5S,   PT5S
			PT1M,     idle,         PT5S,   PT15S
			PT4M,     -,            -,      PT1M
			PT2H,     idle,         PT10S,  PT30M
			PT30H,    idle,         PT10S,  PT59M
			PT30H,    running,      PT10S,  PT5S
			PT30H,    rescheduling, PT1M,   PT5S
			PT30H,    processing,   PT90S,  PT5S
			PT2H,     running,      PT91S,  PT30M
			PT2H,     terminated,   PT1S,   PT30M
			""")
	void afterPollWhenQuietOrRunningThenIntervalBacksOffStepByStepUpToIdle(Duration quiet, String status,
			Duration readAgo, Duration expected) {
		Instant readAt = (readAgo != null) ? NOW.minus(readAgo) : null;
		assertThat(this.schedule.afterPoll(NOW, NOW.minus(quiet), status, readAt)).isEqualTo(expected);
	}

	@Test
	void afterPollWhenNothingKnownOfTheSessionThenPollInterval() {
		assertThat(this.schedule.afterPoll(NOW, null, null, null)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void afterPollWhenIdleIntervalShorterThanPollIntervalThenPollInterval() {
		Schedule fast = new Schedule(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30),
				Duration.ofMinutes(5), 0.2);
		assertThat(fast.afterPoll(NOW, NOW.minus(Duration.ofDays(1)), null, null)).isEqualTo(Duration.ofSeconds(30));
	}

	@ParameterizedTest(name = "{0}/s, backlog {1}, {2} in flight -> {3}")
	@CsvSource(textBlock = """
			10,   PT0S,    0,  10
			10,   PT0.3S,  0,  7
			10,   PT0.3S,  4,  3
			10,   PT0.95S, 0,  0
			10,   PT3S,    0,  0
			10,   PT0S,    12, 0
			2.5,  PT0S,    0,  2
			1000, PT0S,    64, 936
			""")
	void claimableWhenBudgetShortThenNeverMoreThanTheCapAllowsWithinATick(double rate, Duration backlog, int inFlight,
			int expected) {
		assertThat(this.schedule.claimable(rate, Duration.ofSeconds(1), backlog, inFlight)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}/s -> a page every {1}")
	@CsvSource({ "10, PT0.4S", "1, PT4S", "100, PT0.1S", "40, PT0.1S" })
	void sweepPageIntervalWhenCapGivenThenAQuarterOfItAndNeverFasterThanTheVendorAsks(double rate, Duration expected) {
		assertThat(this.schedule.sweepPageInterval(rate)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "last full sweep {0} ago -> full {1}")
	@CsvSource(nullValues = "-", value = { "-, true", "PT4M59S, false", "PT5M, true", "PT1H, true" })
	void fullSweepDueWhenLastFullOlderThanIntervalThenFull(Duration ago, boolean expected) {
		assertThat(this.schedule.fullSweepDue(NOW, (ago != null) ? NOW.minus(ago) : null)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "status {0} read {1} ago -> running {2}")
	@CsvSource(nullValues = "-", value = { "running, PT1M30S, true", "running, PT1M31S, false", "idle, PT0S, false",
			"-, PT0S, false", "running, -, false" })
	void runningWhenStatusReadWithinThreeSweepsThenRunning(String status, Duration ago, boolean expected) {
		assertThat(this.schedule.running(status, (ago != null) ? NOW.minus(ago) : null, NOW)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "first read {0}, upstream updated {1} ago -> active {2} ago")
	@CsvSource(nullValues = "-", textBlock = """
			# first read, upstream updated ago, active ago
			false,  -,       PT0S
			true,   -,       PT0S
			true,   PT5M,    PT0S
			true,   PT1H,    PT0S
			true,   PT1H1S,  PT1H1S
			true,   PT30H,   PT30H
			""")
	void activeAfterStoringWhenFirstReadOfAnOldSessionThenItsLastUpdateElseNow(boolean firstRead, Duration updatedAgo,
			Duration activeAgo) {
		Instant updatedAt = (firstRead && updatedAgo != null) ? NOW.minus(updatedAgo) : null;
		assertThat(this.schedule.activeAfterStoring(NOW, updatedAt)).isEqualTo(NOW.minus(activeAgo));
	}

	@ParameterizedTest(name = "first read of a session updated {0} ago -> next poll in {1}")
	@CsvSource({ "PT10M, PT5S", "PT2H, PT30M", "PT30H, PT59M" })
	void afterPollWhenFirstReadOfASessionUpdatedLongAgoThenIdleSchedule(Duration updatedAgo, Duration expected) {
		Instant activeAt = this.schedule.activeAfterStoring(NOW, NOW.minus(updatedAgo));
		assertThat(this.schedule.afterPoll(NOW, activeAt, "idle", NOW)).isEqualTo(expected);
	}

	@Test
	void activeSinceWhenAskedThenAsLongAsThePollIntervalHolds() {
		Instant since = this.schedule.activeSince(NOW);
		assertThat(since).isEqualTo(NOW.minusSeconds(20));
		assertThat(this.schedule.afterPoll(NOW, since, null, null)).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.schedule.afterPoll(NOW, since.minusSeconds(4), null, null))
			.isGreaterThan(Duration.ofSeconds(5));
	}

	@ParameterizedTest(name = "share {0}, {1} slots, {2} owed -> {3} active, {4} backlog, {5} owed")
	@CsvSource(textBlock = """
			# share, limit, owed before, active, backlog, owed after
			0.2,  64,  0.0,  52,  12,  0.8
			0.2,  64,  0.8,  51,  13,  0.6
			0.2,  5,   0.0,  4,   1,   0.0
			0.2,  1,   0.0,  1,   0,   0.2
			0.2,  1,   0.8,  0,   1,   0.0
			0.2,  2,   0.6,  1,   1,   0.0
			0.0,  64,  0.0,  64,  0,   0.0
			1.0,  10,  0.0,  0,   10,  0.0
			0.5,  3,   0.5,  1,   2,   0.0
			""")
	void splitWhenShareOwedThenTheBacklogGetsAWholeSlotWheneverOneIsOwed(double share, int limit, double owedBefore,
			int active, int backlog, double owedAfter) {
		Schedule split = new Schedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30),
				Duration.ofMinutes(5), share);
		Schedule.Split result = split.split(limit, owedBefore);
		assertThat(result.active()).isEqualTo(active);
		assertThat(result.backlog()).isEqualTo(backlog);
		assertThat(result.owed()).isCloseTo(owedAfter, within(1e-6));
	}

	@Test
	void splitWhenEveryClaimIsOneSlotThenEveryFifthGoesToTheBacklog() {
		double owed = 0;
		int backlog = 0;
		for (int claim = 0; claim < 100; claim++) {
			Schedule.Split split = this.schedule.split(1, owed);
			backlog += split.backlog();
			owed = split.owed();
		}
		assertThat(backlog).isEqualTo(20);
	}

}
