package io.qoderevents.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.qoderevents.web.TimeRange;

/**
 * A report's time range split into what the 15-minute buckets answer and what only the
 * usage rows can: the whole quarter hours inside the range, and the cut edges before and
 * after them. Open ends are {@code -infinity} and {@code infinity}; an empty part is the
 * empty range at {@code -infinity}.
 *
 * @param since the range's start (inclusive)
 * @param until the range's end (exclusive)
 * @param wholeSince the first whole bucket's start
 * @param wholeUntil the end of the last whole bucket
 * @param firstEdgeSince start of the cut edge before the whole buckets
 * @param firstEdgeUntil end of that edge
 * @param lastEdgeSince start of the cut edge after the whole buckets
 * @param lastEdgeUntil end of that edge
 */
record UsageWindow(OffsetDateTime since, OffsetDateTime until, OffsetDateTime wholeSince, OffsetDateTime wholeUntil,
		OffsetDateTime firstEdgeSince, OffsetDateTime firstEdgeUntil, OffsetDateTime lastEdgeSince,
		OffsetDateTime lastEdgeUntil) {

	private static final OffsetDateTime MIN = OffsetDateTime.MIN;

	private static final OffsetDateTime MAX = OffsetDateTime.MAX;

	private static final long QUARTER = Duration.ofMinutes(15).toSeconds();

	static UsageWindow of(TimeRange range) {
		OffsetDateTime since = (range.since() != null) ? range.since() : MIN;
		OffsetDateTime until = (range.until() != null) ? range.until() : MAX;
		OffsetDateTime wholeSince = (range.since() != null) ? ceil(range.since()) : MIN;
		OffsetDateTime wholeUntil = (range.until() != null) ? floor(range.until()) : MAX;
		if (wholeSince.isBefore(wholeUntil)) {
			return new UsageWindow(since, until, wholeSince, wholeUntil, since, wholeSince, wholeUntil, until);
		}
		return new UsageWindow(since, until, MIN, MIN, since, until, MIN, MIN);
	}

	/** Whether the range leaves out any time at all. */
	boolean bounded() {
		return !this.since.equals(MIN) || !this.until.equals(MAX);
	}

	/** The parameters of a statement over the window. */
	Map<String, Object> parameters() {
		return Map.of("since", this.since, "until", this.until, "wholeSince", this.wholeSince, "wholeUntil",
				this.wholeUntil, "firstEdgeSince", this.firstEdgeSince, "firstEdgeUntil", this.firstEdgeUntil,
				"lastEdgeSince", this.lastEdgeSince, "lastEdgeUntil", this.lastEdgeUntil);
	}

	private static OffsetDateTime floor(OffsetDateTime at) {
		long seconds = at.toEpochSecond();
		return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds - Math.floorMod(seconds, QUARTER)),
				ZoneOffset.UTC);
	}

	private static OffsetDateTime ceil(OffsetDateTime at) {
		OffsetDateTime floor = floor(at);
		return floor.isEqual(at) ? floor : floor.plusSeconds(QUARTER);
	}

}
