package io.qoderevents.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paged list: read {@code limit + 1} rows, serve {@code limit}, and
 * the cursor of the next page is the key of the last row served.
 *
 * @param <T> the row type
 * @param rows the rows of this page
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record Keyset<T>(List<T> rows, String nextCursor) {

	/**
	 * How many rows to read for a page of {@code limit}: one more, to know if more
	 * follow.
	 */
	public static int fetchSize(int limit) {
		return limit + 1;
	}

	/**
	 * Cuts rows read with {@link #fetchSize(int)} to a page, and encodes the cursor of
	 * the next page from the last row served when more rows follow.
	 */
	public static <T> Keyset<T> cut(List<T> rows, int limit, Function<T, String> cursorOf) {
		if (rows.size() <= limit) {
			return new Keyset<>(rows, null);
		}
		List<T> page = rows.subList(0, limit);
		return new Keyset<>(page, cursorOf.apply(page.get(limit - 1)));
	}

	/** The page as the API serves it. */
	public ListResponse<T> toResponse() {
		return new ListResponse<>(this.rows, this.nextCursor);
	}

	/** The page with its rows turned into what the API serves. */
	public <R> ListResponse<R> map(Function<T, R> mapper) {
		return new ListResponse<>(this.rows.stream().map(mapper).toList(), this.nextCursor);
	}

}
