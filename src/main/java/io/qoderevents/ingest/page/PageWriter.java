package io.qoderevents.ingest.page;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.qoderevents.ingest.turns.Divergence;
import io.qoderevents.ingest.turns.PagePlan;
import io.qoderevents.upstream.EventPage;
import io.qoderevents.upstream.UpstreamEvent;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commits one page in one transaction together with the cursor advance. The session row
 * is locked and its cursor compared with the one the page was fetched after: a page
 * fetched from a stale cursor changes nothing, so two pollers, or a poll repeated after a
 * crash, can never store an event twice or leave a gap.
 */
@Component
public class PageWriter {

	/**
	 * How often a page is planned again when its ids are stored meanwhile by other
	 * sessions' pages: each plan sees the ids that made the one before fail.
	 */
	private static final int MAX_PLANS = 5;

	private final JdbcPageRepository repository;

	private final JdbcPageUsageRepository usage;

	private final Cursors leases;

	private final Listener metrics;

	private final Clock clock;

	PageWriter(JdbcPageRepository repository, JdbcPageUsageRepository usage, Cursors leases, Listener metrics,
			Clock clock) {
		this.repository = repository;
		this.usage = usage;
		this.leases = leases;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Stores a page fetched after {@code fetchedAfter} and advances the cursor, unless
	 * the session has moved on.
	 * @param owner the poller's lease owner name; its lease is extended
	 */
	@Transactional
	public Outcome apply(String sessionId, String owner, String fetchedAfter, EventPage page, Duration lease) {
		Optional<Position> position = this.leases.lock(sessionId);
		if (position.isEmpty() || !Objects.equals(position.get().cursor(), fetchedAfter)) {
			return Outcome.STALE;
		}
		Divergence divergence = divergence(sessionId, position.get(), page);
		if (divergence != null) {
			return Outcome.diverged(divergence);
		}
		PagePlan plan = insertEvents(sessionId, position.get().eventCount(), page);
		this.usage.addToTotals(sessionId, this.repository.writeDerived(sessionId, plan), !plan.events().isEmpty());
		int quarantined = this.repository.insertQuarantine(plan.quarantine());
		String cursor = cursorAfter(page, fetchedAfter);
		this.leases.advance(sessionId, owner, cursor, plan.lastSequence(), quarantined, plan.newestEventTime(),
				plan.terminal(), plan.running(), lease);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				PageWriter.this.metrics.stored(plan, quarantined);
			}
		});
		return new Outcome(true, cursor, plan.terminal(), plan.events().size(), plan.running());
	}

	/**
	 * Where a page read from inside the stored history lists another history; null when
	 * it lists the stored one, or is read after the stored history's end.
	 */
	private Divergence divergence(String sessionId, Position position, EventPage page) {
		if (!position.rereads()) {
			return null;
		}
		List<String> ids = page.events().stream().map(UpstreamEvent::id).filter(Objects::nonNull).distinct().toList();
		Map<String, String> owners = this.repository.storedSessions(ids);
		Set<String> others = owners.entrySet()
			.stream()
			.filter((owner) -> !owner.getValue().equals(sessionId))
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
		Map<String, Long> sequences = this.repository.storedSequences(sessionId, ids);
		long start = (position.cursorSequence() != null) ? position.cursorSequence() : 0;
		return Divergence.of(position.eventCount(), start, page.events(), sequences, others);
	}

	/**
	 * Plans the page and stores its new events. An id that another session's page stored
	 * since the plan read the stored ids undoes the events' insert: then the page is
	 * planned again.
	 */
	private PagePlan insertEvents(String sessionId, long eventCount, EventPage page) {
		List<String> ids = page.events().stream().map(UpstreamEvent::id).filter(Objects::nonNull).distinct().toList();
		PagePlan.History history = this.repository.history(sessionId, page.events());
		for (int attempt = 0; attempt < MAX_PLANS; attempt++) {
			PagePlan plan = PagePlan.of(sessionId, eventCount, page.events(), this.repository.storedSessions(ids),
					history, OffsetDateTime.now(this.clock));
			if (this.repository.insertEvents(plan.events())) {
				return plan;
			}
		}
		throw new IllegalStateException("Ids of the page of session " + sessionId
				+ " kept being stored by other sessions' pages while it was written");
	}

	/**
	 * The page's {@code last_id}; else the id of its last element; else the cursor it was
	 * fetched after.
	 */
	private static String cursorAfter(EventPage page, String fetchedAfter) {
		if (page.lastId() != null) {
			return page.lastId();
		}
		for (int i = page.events().size() - 1; i >= 0; i--) {
			String id = page.events().get(i).id();
			if (id != null) {
				return id;
			}
		}
		return fetchedAfter;
	}

	/**
	 * What a page did.
	 *
	 * @param applied false when the page was fetched from a stale cursor (or the session
	 * is no longer tracked)
	 * @param cursor the session's cursor after the page
	 * @param terminal whether the page finished the session
	 * @param stored events newly stored
	 * @param running whether the session runs after the page, as its last new status
	 * event says; null when the page has none
	 * @param divergence where the page, read from inside the stored history, lists
	 * another history (nothing was stored); null otherwise
	 */
	public record Outcome(boolean applied, String cursor, boolean terminal, int stored, Boolean running,
			Divergence divergence) {

		static final Outcome STALE = new Outcome(false, null, false, 0, null, null);

		Outcome(boolean applied, String cursor, boolean terminal, int stored, Boolean running) {
			this(applied, cursor, terminal, stored, running, null);
		}

		static Outcome diverged(Divergence divergence) {
			return new Outcome(false, null, false, 0, null, divergence);
		}

	}

	/**
	 * The session row a page's transaction locks and advances (the lease repository's
	 * statements).
	 */
	public interface Cursors {

		/**
		 * Locks the session's row for the page transaction; empty when the session is no
		 * longer tracked.
		 */
		Optional<Position> lock(String sessionId);

		/**
		 * Moves the cursor after a committed page, in its transaction, and extends the
		 * lease of its owner.
		 */
		void advance(String sessionId, String owner, String cursor, long eventCount, int quarantined,
				OffsetDateTime newestEventAt, boolean terminal, Boolean running, Duration lease);

	}

	/** Told what each page stored, once its transaction commits (the metrics). */
	public interface Listener {

		void stored(PagePlan plan, int quarantinedRows);

	}

	/**
	 * A locked session's cursor and event count.
	 *
	 * @param cursor the after_id the session's next page is read after
	 * @param eventCount the events stored so far (the last sequence)
	 * @param cursorSequence the stored sequence of the cursor's event, null when the
	 * cursor is null or not a stored event of the session
	 */
	public record Position(String cursor, long eventCount, Long cursorSequence) {

		/**
		 * Whether the next page is read from inside the stored history (from the start,
		 * or after an event before the last): it must list that history again.
		 */
		boolean rereads() {
			return this.eventCount > 0
					&& (this.cursor == null || (this.cursorSequence != null && this.cursorSequence < this.eventCount));
		}

	}

}
