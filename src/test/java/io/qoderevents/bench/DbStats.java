package io.qoderevents.bench;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counters of the benchmark's own database from PostgreSQL's cumulative statistics (no
 * extension needed): its transactions, the rows its statements touched, and the writes
 * and scans of {@code tracked_session}. The difference of two readings is what a phase
 * did. Each reading is one statement, so one transaction of its own.
 *
 * @param transactions commits and rollbacks
 * @param inserted rows inserted
 * @param updated rows updated
 * @param returned rows read by sequential and bitmap scans
 * @param fetched rows fetched by index scans
 * @param sessionUpdates {@code tracked_session} rows updated
 * @param sessionHotUpdates of those, updates that changed no indexed column (HOT)
 * @param sessionIndexScans index scans of {@code tracked_session}
 * @param sessionSeqScans sequential scans of {@code tracked_session}
 * @param sessionSeqRows rows read by those sequential scans
 */
record DbStats(long transactions, long inserted, long updated, long returned, long fetched, long sessionUpdates,
		long sessionHotUpdates, long sessionIndexScans, long sessionSeqScans, long sessionSeqRows) {

	/**
	 * How long an idle server process may hold statistics before it reports them:
	 * PostgreSQL 15+ flushes them at most once a second, and an idle backend that just
	 * flushed waits 10 s (PGSTAT_IDLE_INTERVAL) for the next.
	 */
	static final long FLUSH_WAIT_MILLIS = 11_000;

	private static final String READ = """
			select d.xact_commit + d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_returned, d.tup_fetched,
			       t.n_tup_upd, t.n_tup_hot_upd, coalesce(t.idx_scan, 0), t.seq_scan, t.seq_tup_read
			from pg_stat_database d, pg_stat_user_tables t
			where d.datname = current_database() and t.relname = 'tracked_session'
			""";

	/** Waits until every connection of the pool has reported, then reads. */
	static DbStats read(JdbcClient jdbc) throws InterruptedException {
		Thread.sleep(FLUSH_WAIT_MILLIS);
		return jdbc.sql(READ)
			.query((row, n) -> new DbStats(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
					row.getLong(5), row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9), row.getLong(10)))
			.single();
	}

	/**
	 * What happened between an earlier reading and this one, less the earlier reading's
	 * own transaction.
	 */
	DbStats since(DbStats start) {
		return new DbStats(this.transactions - start.transactions - 1, this.inserted - start.inserted,
				this.updated - start.updated, this.returned - start.returned, this.fetched - start.fetched,
				this.sessionUpdates - start.sessionUpdates, this.sessionHotUpdates - start.sessionHotUpdates,
				this.sessionIndexScans - start.sessionIndexScans, this.sessionSeqScans - start.sessionSeqScans,
				this.sessionSeqRows - start.sessionSeqRows);
	}

}
