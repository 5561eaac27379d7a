package io.qoderevents.usage;

/**
 * How usage is priced when it is read: each unit of usage (a 15-minute bucket of a
 * session's counters, or a usage row) at the prices in effect at its time, the credit
 * price for its credits and its session's model's tokens price (per million tokens) for
 * its tokens. A unit with nothing priced costs null; a group's cost is the sum of its
 * priced units, null when it has unpriced usage and nothing priced.
 */
final class CostSql {

	/**
	 * Joins {@code c} (credit price) and {@code t} (tokens price) for unit time and
	 * model.
	 */
	static final String PRICES = """
			left join price_period c on c.kind = 'credit' and %1$s >= c.valid_from
			    and (c.valid_until is null or %1$s < c.valid_until)
			left join price_period t on t.kind = 'tokens' and t.model = %2$s and %1$s >= t.valid_from
			    and (t.valid_until is null or %1$s < t.valid_until)
			""";

	/** A unit's cost, and whether its credits or its tokens have no price, as columns. */
	static final String UNIT_COST = """
			case when (%1$s.credits <> 0 and c.price is not null) or (%2$s <> 0 and t.input is not null)
			     then coalesce(%1$s.credits * c.price, 0)
			          + coalesce((%1$s.input_tokens * t.input + %1$s.output_tokens * t.output
			                      + %1$s.cache_read_input_tokens * t.cache_read
			                      + %1$s.cache_creation_input_tokens * t.cache_creation) * 0.000001, 0)
			end as cost,
			%1$s.credits <> 0 and c.price is null as credits_unpriced,
			%2$s <> 0 and t.input is null as tokens_unpriced
			""";

	/** A group's cost, trailing zeros trimmed. */
	static final String GROUP_COST = """
			trim_scale(coalesce(sum(cost),
			    case when bool_or(credits_unpriced or tokens_unpriced) then null else 0 end)) as cost
			""";

	/**
	 * The unpriced usage of the {@code chosen} units (columns {@code at}, {@code model},
	 * the two flags): kind, model, the first unpriced unit's time, and the next price
	 * after the last.
	 */
	static final String UNPRICED = """
			select g.kind, g.model, g.first_at,
			       (select min(p.valid_from) from price p
			        where p.kind = g.kind and p.model is not distinct from g.model and p.valid_from > g.last_at) as until_at
			from (select x.kind, x.model, min(x.at) as first_at, max(x.at) as last_at
			      from (select 'credit' as kind, cast(null as text) as model, at from chosen where credits_unpriced
			            union all
			            select 'tokens', model, at from chosen where tokens_unpriced) x
			      group by x.kind, x.model) g
			order by g.kind, g.model nulls first
			""";

	private CostSql() {
	}

	/** {@link #PRICES} for units at {@code at} of sessions of model {@code model}. */
	static String prices(String at, String model) {
		return PRICES.formatted(at, model);
	}

	/** {@link #UNIT_COST} of the counter columns of {@code alias}. */
	static String unitCost(String alias) {
		String tokens = "(%1$s.input_tokens + %1$s.output_tokens + %1$s.cache_read_input_tokens"
				+ " + %1$s.cache_creation_input_tokens)";
		return UNIT_COST.formatted(alias, tokens.formatted(alias));
	}

}
