package io.qoderevents.ingest.live;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The live tail's lease claims for tests outside this package (a replica's claim racing
 * this instance's).
 */
public final class StreamLeaseClaims {

	private final JdbcStreamLeaseRepository leases;

	public StreamLeaseClaims(JdbcClient jdbc) {
		this.leases = new JdbcStreamLeaseRepository(jdbc, Clock.systemUTC());
	}

	/** The sessions claimed, as the live tail's {@code claimRunning} leases them. */
	public List<String> claimRunning(String owner, Duration lease, int limit, Collection<String> excluded) {
		return this.leases.claimRunning(owner, lease, limit, excluded)
			.stream()
			.map(JdbcStreamLeaseRepository.Streamable::sessionId)
			.toList();
	}

}
