package io.qoderevents.usage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.qoderevents.usage.JdbcUsageRepository.Bucket;
import io.qoderevents.usage.JdbcUsageRepository.Span;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Token usage: per session and turn, and rolled up by session, day or hour. */
@Service
class UsageService {

	private static final String CURSOR_KIND = "usage-";

	private final JdbcUsageRepository repository;

	private final TrackingService tracking;

	UsageService(JdbcUsageRepository repository, TrackingService tracking) {
		this.repository = repository;
		this.tracking = tracking;
	}

	/** One session's usage; 404 when the session is neither tracked nor has events. */
	@Transactional(readOnly = true)
	SessionUsage session(String sessionId) {
		this.tracking.requireKnown(sessionId);
		Span span = this.repository.span(sessionId);
		return SessionUsage.of(sessionId, span.firstEventAt(), span.lastEventAt(), this.repository.turns(sessionId));
	}

	/** One page of a rollup, with the totals of the whole rollup. */
	@Transactional(readOnly = true)
	UsageReport rollup(UsageFilter filter, int limit, String cursor) {
		String kind = CURSOR_KIND + filter.grouping().parameter();
		List<String> after = Cursors.decode(kind, cursor, 2);
		boolean bucketed = filter.grouping() != UsageGrouping.SESSION;
		if (after != null && bucketed && !after.get(0).equals(filter.zone().getId())) {
			throw Cursors.invalid();
		}
		String zone = filter.zone().getId();
		Keyset<UsageRow> page;
		if (!bucketed) {
			List<UsageRow> rows = this.repository.bySession(filter, (after != null) ? after.get(1) : null,
					Keyset.fetchSize(limit));
			page = Keyset.cut(rows, limit, (row) -> Cursors.encode(kind, zone, row.key()));
		}
		else {
			List<Bucket> buckets = this.repository.byBucket(filter, (after != null) ? instant(after.get(1)) : null,
					Keyset.fetchSize(limit));
			Keyset<Bucket> cut = Keyset.cut(buckets, limit,
					(bucket) -> Cursors.encode(kind, zone, bucket.start().toString()));
			page = new Keyset<>(cut.rows().stream().map((bucket) -> keyed(bucket, filter)).toList(), cut.nextCursor());
		}
		return new UsageReport(page.rows(), page.nextCursor(), this.repository.totals(filter), zone);
	}

	private static UsageRow keyed(Bucket bucket, UsageFilter filter) {
		UsageRow usage = bucket.usage();
		String key = bucket.start().atZone(filter.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		return new UsageRow(key, usage.inputTokens(), usage.outputTokens(), usage.cacheReadInputTokens(),
				usage.cacheCreationInputTokens(), usage.totalTokens(), usage.turns());
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
