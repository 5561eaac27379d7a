package io.qoderevents.usage;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.qoderevents.pricing.Price;
import io.qoderevents.pricing.Prices;
import io.qoderevents.tracking.TrackingService;
import io.qoderevents.usage.JdbcSessionUsageRepository.CountedTurn;
import io.qoderevents.usage.JdbcSessionUsageRepository.Snapshot;
import io.qoderevents.usage.JdbcSessionUsageRepository.Span;
import io.qoderevents.usage.JdbcUsageReportRepository.Group;
import io.qoderevents.web.Cursors;
import io.qoderevents.web.Keyset;
import io.qoderevents.web.TimeRange;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Usage with its cost: per session and turn, and reported by session, model, agent,
 * environment, metadata key, day or hour.
 */
@Service
class UsageService {

	private static final String CURSOR_KIND = "usage-";

	private final JdbcSessionUsageRepository sessions;

	private final JdbcUsageReportRepository reports;

	private final TrackingService tracking;

	private final Prices prices;

	UsageService(JdbcSessionUsageRepository sessions, JdbcUsageReportRepository reports, TrackingService tracking,
			Prices prices) {
		this.sessions = sessions;
		this.reports = reports;
		this.tracking = tracking;
		this.prices = prices;
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
		Map<Long, BigDecimal> costs = this.sessions.turnCosts(sessionId, range);
		List<Unpriced> unpriced = this.sessions.unpriced(sessionId, range);
		List<TurnUsage> byTurn = turns.stream()
			.map((turn) -> turn.usage().withCost(costs.get(turn.position())))
			.toList();
		UsageCounters usage = byTurn.stream().map(TurnUsage::usage).reduce(UsageCounters.ZERO, UsageCounters::plus);
		long completed = turns.stream().mapToLong(CountedTurn::completions).sum();
		Optional<Snapshot> snapshot = Optional.ofNullable(span.snapshot());
		BigDecimal billed = snapshot.map(Snapshot::totalCredits).orElse(null);
		Instant billedAt = snapshot.map(Snapshot::readAt).orElse(null);
		return new SessionUsage(sessionId, usage, cost(byTurn, unpriced), billed, billedAt,
				billedCost(billed, billedAt), this.prices.currency(), snapshot.map(Snapshot::model).orElse(null),
				completed, span.firstEventAt(), span.lastEventAt(), byTurn, unpriced);
	}

	/**
	 * The sum of the priced turns; null when none is priced and some usage is not, zero
	 * when there is nothing to price.
	 */
	private static BigDecimal cost(List<TurnUsage> turns, List<Unpriced> unpriced) {
		List<BigDecimal> priced = turns.stream().map(TurnUsage::cost).filter(Objects::nonNull).toList();
		if (priced.isEmpty()) {
			return unpriced.isEmpty() ? BigDecimal.ZERO : null;
		}
		BigDecimal sum = priced.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		return Money.trimmed(sum);
	}

	private BigDecimal billedCost(BigDecimal billed, Instant at) {
		if (billed == null || at == null) {
			return null;
		}
		return this.prices.priceList()
			.lookup(Price.Kind.CREDIT, null, at)
			.map((price) -> Money.trimmed(billed.multiply(price.price())))
			.orElse(null);
	}

	/**
	 * One page of a report, with the totals and the unpriced usage of the whole report.
	 */
	@Transactional(readOnly = true)
	UsageReport rollup(UsageFilter filter, int limit, String cursor) {
		UsageGrouping grouping = filter.grouping();
		String kind = CURSOR_KIND + grouping.parameter();
		String zone = filter.zone().getId();
		List<String> after = Cursors.decode(kind, cursor, 4);
		if (after != null && !after.get(0).equals(zone)) {
			throw Cursors.invalid();
		}
		List<Group> groups = this.reports.groups(filter, (after != null) ? key(after) : null, Keyset.fetchSize(limit));
		Keyset<Group> page = Keyset.cut(groups, limit,
				(group) -> Cursors.encode(kind, zone,
						(group.key().bucket() != null) ? group.key().bucket().toString() : "",
						(group.key().key() != null) ? "v" : "n", Objects.toString(group.key().key(), "")));
		List<UsageRow> rows = page.rows().stream().map((group) -> row(group, filter)).toList();
		return new UsageReport(grouping.parameter(), zone, this.prices.currency(), rows, page.nextCursor(),
				this.reports.totals(filter), this.reports.unpriced(filter));
	}

	private static Group.Key key(List<String> after) {
		if (!after.get(2).equals("v") && !after.get(2).equals("n")) {
			throw Cursors.invalid();
		}
		Instant bucket = after.get(1).isEmpty() ? null : instant(after.get(1));
		return new Group.Key(bucket, after.get(2).equals("v") ? after.get(3) : null);
	}

	private static UsageRow row(Group group, UsageFilter filter) {
		if (group.key().bucket() == null) {
			return group.row();
		}
		ZonedDateTime start = group.key().bucket().atZone(filter.zone());
		ZonedDateTime end = (filter.grouping().bucket() == UsageGrouping.Bucket.DAY)
				? start.toLocalDate().plusDays(1).atStartOfDay(filter.zone()) : start.plusHours(1);
		return group.row()
			.inBucket(start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
					end.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), filter.grouping().attribute() == null);
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
