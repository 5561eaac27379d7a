package io.qoderevents.usage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import io.qoderevents.tracking.TrackingService;
import io.qoderevents.usage.JdbcSessionUsageRepository.CountedTurn;
import io.qoderevents.usage.JdbcSessionUsageRepository.Snapshot;
import io.qoderevents.usage.JdbcSessionUsageRepository.Span;
import io.qoderevents.usage.JdbcUsageReportRepository.Bucket;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.TimeRange;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Usage: per session and turn, and rolled up by session, day, hour or model. */
@Service
class UsageService {

	private static final String CURSOR_KIND = "usage-";

	private final JdbcSessionUsageRepository sessions;

	private final JdbcUsageReportRepository reports;

	private final TrackingService tracking;

	UsageService(JdbcSessionUsageRepository sessions, JdbcUsageReportRepository reports, TrackingService tracking) {
		this.sessions = sessions;
		this.reports = reports;
		this.tracking = tracking;
	}

	/**
	 * One session's usage of events in the range; 404 when the session is neither tracked
	 * nor has events.
	 */
	@Transactional(readOnly = true)
	SessionUsage session(String sessionId, TimeRange range) {
		this.tracking.requireKnown(sessionId);
		Span span = this.sessions.span(sessionId, range);
		List<CountedTurn> turns = this.sessions.turns(sessionId, range);
		UsageCounters usage = turns.stream()
			.map((turn) -> turn.usage().usage())
			.reduce(UsageCounters.ZERO, UsageCounters::plus);
		long completed = turns.stream().mapToLong(CountedTurn::completions).sum();
		Optional<Snapshot> snapshot = Optional.ofNullable(span.snapshot());
		return new SessionUsage(sessionId, usage, snapshot.map(Snapshot::totalCredits).orElse(null),
				snapshot.map(Snapshot::readAt).orElse(null), snapshot.map(Snapshot::model).orElse(null), completed,
				span.firstEventAt(), span.lastEventAt(), turns.stream().map(CountedTurn::usage).toList());
	}

	/** One page of a rollup, with the totals of the whole rollup. */
	@Transactional(readOnly = true)
	UsageReport rollup(UsageFilter filter, int limit, String cursor) {
		String kind = CURSOR_KIND + filter.grouping().parameter();
		List<String> after = Cursors.decode(kind, cursor, 2);
		boolean bucketed = filter.grouping() == UsageGrouping.DAY || filter.grouping() == UsageGrouping.HOUR;
		if (after != null && bucketed && !after.get(0).equals(filter.zone().getId())) {
			throw Cursors.invalid();
		}
		String zone = filter.zone().getId();
		Keyset<UsageRow> page;
		if (!bucketed) {
			List<UsageRow> rows = this.reports.byKey(filter, (after != null) ? after.get(1) : null,
					Keyset.fetchSize(limit));
			page = Keyset.cut(rows, limit, (row) -> Cursors.encode(kind, zone, row.key()));
		}
		else {
			List<Bucket> buckets = this.reports.byBucket(filter, (after != null) ? instant(after.get(1)) : null,
					Keyset.fetchSize(limit));
			Keyset<Bucket> cut = Keyset.cut(buckets, limit,
					(bucket) -> Cursors.encode(kind, zone, bucket.start().toString()));
			page = new Keyset<>(cut.rows().stream().map((bucket) -> keyed(bucket, filter)).toList(), cut.nextCursor());
		}
		return new UsageReport(page.rows(), page.nextCursor(), this.reports.totals(filter), zone);
	}

	private static UsageRow keyed(Bucket bucket, UsageFilter filter) {
		ZonedDateTime start = bucket.start().atZone(filter.zone());
		ZonedDateTime end = (filter.grouping() == UsageGrouping.DAY)
				? start.toLocalDate().plusDays(1).atStartOfDay(filter.zone()) : start.plusHours(1);
		return bucket.usage()
			.ofBucket(start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
					end.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
	}

	private static Instant instant(String value) {
		try {
			return Instant.parse(value);
		}
		catch (DateTimeException ex) {
			throw Cursors.invalid();
		}
	}

}
