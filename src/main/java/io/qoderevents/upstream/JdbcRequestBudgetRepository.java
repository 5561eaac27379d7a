package io.qoderevents.upstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.qoderevents.config.QoderProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The token's request budget in the database, shared by every instance that uses it: one
 * statement, one round trip, per reservation of a batch of slots or per pause. Every time
 * is the database's ({@code clock_timestamp()}), on purpose: the instances' own clocks
 * differ, the database's is the one they share.
 */
@Repository
class JdbcRequestBudgetRepository implements RequestBudget {

	private static final String CREATE = """
			insert into request_budget (token_key) values (:key) on conflict (token_key) do nothing""";

	/**
	 * Locks the row, takes the first free slot (after any pause, never before now) and,
	 * when it comes within the longest wait, moves the next free slot past the slots
	 * taken. Answers in seconds from the database's now.
	 */
	private static final String RESERVE = """
			with budget as (
			    select r.token_key, r.theoretical_arrival, r.paused_until, n.now,
			           greatest(r.theoretical_arrival, r.paused_until, n.now) as first
			    from request_budget r, (select clock_timestamp() as now) n
			    where r.token_key = :key
			    for update of r),
			granted as (
			    update request_budget r set theoretical_arrival = b.first + make_interval(secs => :span)
			    from budget b
			    where r.token_key = b.token_key and b.first <= b.now + make_interval(secs => :maxWait)
			    returning r.theoretical_arrival)
			select (select count(*) from granted) > 0 as granted,
			       extract(epoch from b.first - b.now) as first_in,
			       extract(epoch from b.paused_until - b.now) as paused_for,
			       extract(epoch from coalesce((select theoretical_arrival from granted), b.theoretical_arrival)
			           - b.now) as busy_for
			from budget b""";

	private static final String PAUSE = """
			update request_budget
			set paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => :wait))
			where token_key = :key""";

	private static final String PAUSED_FOR = """
			select extract(epoch from paused_until - clock_timestamp()) from request_budget where token_key = :key""";

	private static final String RESUME = """
			update request_budget set paused_until = 'epoch' where token_key = :key""";

	private final JdbcClient jdbc;

	private final String key;

	private final Counter roundTrips;

	private volatile boolean created;

	JdbcRequestBudgetRepository(JdbcClient jdbc, QoderProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.key = keyOf(properties.upstream().token());
		this.roundTrips = Counter.builder("qoder.upstream.budget.round.trips")
			.description("Statements sent to the database for the shared request budget")
			.register(meters);
	}

	@Override
	public Reservation reserve(int slots, Duration interval, Duration maxWait) {
		create();
		List<Reservation> answer = this.jdbc.sql(RESERVE)
			.param("key", this.key)
			.param("span", seconds(interval.multipliedBy(slots)))
			.param("maxWait", seconds(maxWait))
			.query((rs, row) -> new Reservation(rs.getBoolean("granted"), duration(rs.getDouble("first_in")),
					duration(rs.getDouble("paused_for")), duration(rs.getDouble("busy_for"))))
			.list();
		this.roundTrips.increment();
		if (answer.isEmpty()) {
			this.created = false;
			return reserve(slots, interval, maxWait);
		}
		return answer.get(0);
	}

	@Override
	public void pauseFor(Duration wait) {
		create();
		this.jdbc.sql(PAUSE).param("key", this.key).param("wait", seconds(wait)).update();
		this.roundTrips.increment();
	}

	@Override
	public Duration pausedFor() {
		List<Double> pausedFor = this.jdbc.sql(PAUSED_FOR).param("key", this.key).query(Double.class).list();
		this.roundTrips.increment();
		return pausedFor.isEmpty() ? Duration.ZERO : duration(pausedFor.get(0));
	}

	@Override
	public void resume() {
		create();
		this.jdbc.sql(RESUME).param("key", this.key).update();
		this.roundTrips.increment();
	}

	/** Round trips so far, the budget's cost. */
	long roundTrips() {
		return (long) this.roundTrips.count();
	}

	private void create() {
		if (!this.created) {
			this.jdbc.sql(CREATE).param("key", this.key).update();
			this.roundTrips.increment();
			this.created = true;
		}
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	private static Duration duration(double seconds) {
		return Duration.ofNanos(Math.round(seconds * 1e9));
	}

	/** The budget's key: the token's hex SHA-256, so that no token is stored. */
	static String keyOf(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
