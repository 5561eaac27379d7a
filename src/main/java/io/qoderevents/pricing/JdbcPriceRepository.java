package io.qoderevents.pricing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/** The {@code price} rows: every price, from the settings or the API. */
@Repository
class JdbcPriceRepository {

	private static final String ALL = """
			select kind, model, valid_from, price, input, output, cache_read, cache_creation, source
			from price
			order by kind, model nulls first, valid_from
			""";

	private static final String ADD = """
			insert into price (kind, model, valid_from, price, input, output, cache_read, cache_creation, source,
			                   created_at)
			values (:kind, :model, :from, :price, :input, :output, :cacheRead, :cacheCreation, :source, :createdAt)
			on conflict (kind, coalesce(model, ''), valid_from) do nothing
			returning kind, model, valid_from, price, input, output, cache_read, cache_creation, source
			""";

	/**
	 * A settings price replaces the settings price of the same kind, model and time (when
	 * its amounts changed); a price added through the API there is kept.
	 */
	private static final String SEED = """
			insert into price as p (kind, model, valid_from, price, input, output, cache_read, cache_creation,
			                        source, created_at)
			values (:kind, :model, :from, :price, :input, :output, :cacheRead, :cacheCreation, :source, :createdAt)
			on conflict (kind, coalesce(model, ''), valid_from) do update
			set price = excluded.price, input = excluded.input, output = excluded.output,
			    cache_read = excluded.cache_read, cache_creation = excluded.cache_creation
			where p.source = 'settings'
			  and (p.price, p.input, p.output, p.cache_read, p.cache_creation) is distinct from
			      (excluded.price, excluded.input, excluded.output, excluded.cache_read, excluded.cache_creation)
			""";

	private final JdbcClient jdbc;

	JdbcPriceRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<Price> all() {
		return this.jdbc.sql(ALL).query(JdbcPriceRepository::price).list();
	}

	/** Adds the price; empty when one of its kind, model and time exists. */
	Optional<Price> add(Price price, Instant now) {
		return bind(this.jdbc.sql(ADD), price, now).query(JdbcPriceRepository::price).optional();
	}

	/** Inserts or updates a settings price; returns the rows changed (0 or 1). */
	int seed(Price price, Instant now) {
		return bind(this.jdbc.sql(SEED), price, now).update();
	}

	private static StatementSpec bind(StatementSpec statement, Price price, Instant now) {
		return statement.param("kind", price.kind().value())
			.param("model", price.model(), Types.VARCHAR)
			.param("from", utc(price.from()))
			.param("price", price.price(), Types.NUMERIC)
			.param("input", price.input(), Types.NUMERIC)
			.param("output", price.output(), Types.NUMERIC)
			.param("cacheRead", price.cacheRead(), Types.NUMERIC)
			.param("cacheCreation", price.cacheCreation(), Types.NUMERIC)
			.param("source", price.source().value())
			.param("createdAt", utc(now));
	}

	private static Price price(ResultSet rs, int row) throws SQLException {
		return new Price(Price.Kind.of(rs.getString("kind")), rs.getString("model"),
				rs.getObject("valid_from", OffsetDateTime.class).toInstant(), rs.getBigDecimal("price"),
				rs.getBigDecimal("input"), rs.getBigDecimal("output"), rs.getBigDecimal("cache_read"),
				rs.getBigDecimal("cache_creation"), Price.Source.of(rs.getString("source")));
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
