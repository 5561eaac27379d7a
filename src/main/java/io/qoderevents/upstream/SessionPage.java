package io.qoderevents.upstream;

import java.util.List;

/**
 * One page of the account's sessions (discovery).
 *
 * @param sessionIds the valid session ids on the page
 * @param lastId the paging cursor, or null
 * @param hasMore whether more sessions follow
 */
public record SessionPage(List<String> sessionIds, String lastId, boolean hasMore) {
}
