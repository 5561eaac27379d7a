package io.qoderevents.web;

import java.util.List;

/**
 * One page of a list.
 *
 * @param <T> the row type
 * @param data the rows
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record ListResponse<T>(List<T> data, String nextCursor) {
}
