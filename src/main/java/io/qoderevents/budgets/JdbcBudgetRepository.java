package io.qoderevents.budgets;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A budget's spend, read from the 15-minute usage buckets and the price periods. */
@Repository
class JdbcBudgetRepository {

	/**
	 * The priced cost of each bucket of the period in the scope, its running sum, and the
	 * end of the first bucket where that sum reached the warn spend and the limit. A
	 * bucket counts in the period its start falls in. The cost of a bucket must stay the
	 * one the usage report derives (usage/): credits × the credit price in effect at the
	 * bucket, plus tokens × the tokens price of the session snapshot's model in effect at
	 * the bucket per million tokens (multiplied by 0.000001, which is exact). Usage with
	 * no price in effect costs nothing here.
	 */
	private static final String SPEND = """
			with bucket_cost as (
			    select b.bucket,
			           sum(coalesce(b.credits * credit.price, 0)
			               + coalesce((b.input_tokens * tokens.input + b.output_tokens * tokens.output
			                           + b.cache_read_input_tokens * tokens.cache_read
			                           + b.cache_creation_input_tokens * tokens.cache_creation) * 0.000001, 0)) as cost
			    from session_usage_bucket b
			    left join session_snapshot s on s.session_id = b.session_id
			    left join price_period credit
			           on credit.kind = 'credit' and credit.valid_from <= b.bucket
			          and (credit.valid_until is null or b.bucket < credit.valid_until)
			    left join price_period tokens
			           on tokens.kind = 'tokens' and tokens.model = s.model and tokens.valid_from <= b.bucket
			          and (tokens.valid_until is null or b.bucket < tokens.valid_until)
			    where b.bucket >= :start and b.bucket < :end
			      and case :kind
			              when 'all' then true
			              when 'agent' then s.agent_id = :value
			              else s.metadata ->> :key = :value
			          end
			    group by b.bucket
			), running as (
			    select bucket, cost, sum(cost) over (order by bucket) as spent
			    from bucket_cost
			)
			select coalesce(sum(cost), 0) as spend,
			       min(bucket) filter (where spent >= :warn) + interval '15 minutes' as warned_at,
			       min(bucket) filter (where spent >= :limit) + interval '15 minutes' as exceeded_at
			from running
			""";

	private final JdbcClient jdbc;

	JdbcBudgetRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Spend spend(Budget budget, BudgetPeriod period) {
		return this.jdbc.sql(SPEND)
			.param("start", utc(period.start()))
			.param("end", utc(period.end()))
			.param("kind", budget.scope().kind().name().toLowerCase(Locale.ROOT))
			.param("key", budget.scope().key(), Types.VARCHAR)
			.param("value", budget.scope().value(), Types.VARCHAR)
			.param("warn", budget.warnSpend(), Types.NUMERIC)
			.param("limit", budget.limit(), Types.NUMERIC)
			.query(JdbcBudgetRepository::spend)
			.single();
	}

	private static Spend spend(ResultSet rs, int row) throws SQLException {
		return new Spend(rs.getBigDecimal("spend"), instant(rs, "warned_at"), instant(rs, "exceeded_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * What a scope spent in a period.
	 *
	 * @param spend the priced cost of its usage
	 * @param warnedAt the end of the bucket where it reached the warn spend, or null
	 * @param exceededAt the end of the bucket where it reached the limit, or null
	 */
	record Spend(BigDecimal spend, Instant warnedAt, Instant exceededAt) {
	}

}
