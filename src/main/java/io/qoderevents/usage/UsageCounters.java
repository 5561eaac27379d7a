package io.qoderevents.usage;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The counters every usage figure adds up: tokens (the primary contract's shape) and
 * credits with model calls (today's upstream). Tables that hold usage name their columns
 * after these components, so one SQL fragment sums them and one mapper reads them: a new
 * counter is a change in this file and a migration.
 *
 * @param inputTokens input tokens, cached tokens excluded
 * @param outputTokens output tokens
 * @param cacheReadInputTokens input tokens read from the prompt cache
 * @param cacheCreationInputTokens input tokens written to the prompt cache
 * @param credits credits billed per model call, added exactly
 * @param modelRequests model calls ({@code span.model_request_end} events)
 */
public record UsageCounters(long inputTokens, long outputTokens, long cacheReadInputTokens,
		long cacheCreationInputTokens, @Schema(type = "number", example = "8.64") BigDecimal credits,
		long modelRequests) {

	/** Nothing counted. */
	public static final UsageCounters ZERO = new UsageCounters(0, 0, 0, 0, BigDecimal.ZERO, 0);

	/** The counter columns, in component order. */
	public static final List<String> COLUMNS = List.of("input_tokens", "output_tokens", "cache_read_input_tokens",
			"cache_creation_input_tokens", "credits", "model_requests");

	/**
	 * The named parameters of the counters, in component order (see
	 * {@link #parameters()}).
	 */
	public static final List<String> PARAMETERS = List.of("inputTokens", "outputTokens", "cacheReadInputTokens",
			"cacheCreationInputTokens", "credits", "modelRequests");

	/** {@code coalesce(sum(c), 0) as c} for every counter column, for a select list. */
	public static final String SUMS = COLUMNS.stream()
		.map((column) -> "coalesce(sum(" + column + "), 0) as " + column)
		.collect(Collectors.joining(", "));

	/** {@link #SUMS} over the columns of {@code alias}. */
	public static String sumsOf(String alias) {
		return COLUMNS.stream()
			.map((column) -> "coalesce(sum(" + alias + "." + column + "), 0) as " + column)
			.collect(Collectors.joining(", "));
	}

	/** The counter columns, comma separated, for an insert's column list. */
	public static final String COLUMN_LIST = String.join(", ", COLUMNS);

	/** The counter parameters, comma separated, for an insert's values list. */
	public static final String PARAMETER_LIST = PARAMETERS.stream()
		.map((parameter) -> ":" + parameter)
		.collect(Collectors.joining(", "));

	/** One {@code ?} per counter, comma separated, for a positional values list. */
	public static final String PLACEHOLDERS = COLUMNS.stream().map((column) -> "?").collect(Collectors.joining(", "));

	/**
	 * {@code c = t.c + ?} for every counter, for an update that adds positional
	 * parameters into {@code table}'s alias.
	 */
	public static String placeholdersAddedInto(String alias) {
		return COLUMNS.stream()
			.map((column) -> column + " = " + alias + "." + column + " + ?")
			.collect(Collectors.joining(", "));
	}

	/**
	 * {@code c = t.c + excluded.c} for every counter, for an upsert that adds into
	 * {@code table}'s alias.
	 */
	public static String addedInto(String alias) {
		return COLUMNS.stream()
			.map((column) -> column + " = " + alias + "." + column + " + excluded." + column)
			.collect(Collectors.joining(", "));
	}

	/**
	 * {@code c = t.c + :p} for every counter, for an update that adds the named
	 * parameters into {@code table}'s alias.
	 */
	public static String parametersAddedInto(String alias) {
		return IntStream.range(0, COLUMNS.size())
			.mapToObj((i) -> COLUMNS.get(i) + " = " + alias + "." + COLUMNS.get(i) + " + :" + PARAMETERS.get(i))
			.collect(Collectors.joining(", "));
	}

	/** Reads the counter columns of the current row. */
	public static UsageCounters read(ResultSet rs) throws SQLException {
		BigDecimal credits = rs.getBigDecimal("credits");
		return new UsageCounters(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
				rs.getLong("cache_read_input_tokens"), rs.getLong("cache_creation_input_tokens"),
				(credits != null) ? credits : BigDecimal.ZERO, rs.getLong("model_requests"));
	}

	/**
	 * Binds the counters to {@link #PLACEHOLDERS} starting at {@code index}.
	 * @return the index of the parameter after them
	 */
	public int bind(PreparedStatement statement, int index) throws SQLException {
		statement.setLong(index, this.inputTokens);
		statement.setLong(index + 1, this.outputTokens);
		statement.setLong(index + 2, this.cacheReadInputTokens);
		statement.setLong(index + 3, this.cacheCreationInputTokens);
		statement.setBigDecimal(index + 4, this.credits);
		statement.setLong(index + 5, this.modelRequests);
		return index + COLUMNS.size();
	}

	/** The counters as named parameters ({@link #PARAMETERS}). */
	public Map<String, Object> parameters() {
		return Map.of("inputTokens", this.inputTokens, "outputTokens", this.outputTokens, "cacheReadInputTokens",
				this.cacheReadInputTokens, "cacheCreationInputTokens", this.cacheCreationInputTokens, "credits",
				this.credits, "modelRequests", this.modelRequests);
	}

	/** input + output + cache read + cache creation. */
	@JsonProperty("total_tokens")
	@Schema(description = "input + output + cache read + cache creation")
	public long totalTokens() {
		return this.inputTokens + this.outputTokens + this.cacheReadInputTokens + this.cacheCreationInputTokens;
	}

	public UsageCounters plus(UsageCounters other) {
		return new UsageCounters(this.inputTokens + other.inputTokens, this.outputTokens + other.outputTokens,
				this.cacheReadInputTokens + other.cacheReadInputTokens,
				this.cacheCreationInputTokens + other.cacheCreationInputTokens, this.credits.add(other.credits),
				this.modelRequests + other.modelRequests);
	}

	/** The same counters with every sign flipped (a correction). */
	public UsageCounters negated() {
		return new UsageCounters(-this.inputTokens, -this.outputTokens, -this.cacheReadInputTokens,
				-this.cacheCreationInputTokens, this.credits.negate(), -this.modelRequests);
	}

	/** The same counters without tokens. */
	public UsageCounters withoutTokens() {
		return new UsageCounters(0, 0, 0, 0, this.credits, this.modelRequests);
	}

	/** Tokens only. */
	public UsageCounters tokensOnly() {
		return new UsageCounters(this.inputTokens, this.outputTokens, this.cacheReadInputTokens,
				this.cacheCreationInputTokens, BigDecimal.ZERO, 0);
	}

	public boolean hasTokens() {
		return totalTokens() != 0;
	}

}
