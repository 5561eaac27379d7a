package io.qoderevents.upstream;

import java.util.List;

/**
 * One page of the account's sessions ({@code GET /sessions}).
 *
 * @param sessions the snapshots of the sessions on the page that have a valid id
 * @param lastId the page's {@code last_id}, or null
 * @param nextPage the page's {@code next_page} token, or null
 * @param hasMore whether more sessions follow
 */
public record SessionPage(List<SessionSnapshot> sessions, String lastId, String nextPage, boolean hasMore) {

	/** The ids of the sessions on the page. */
	public List<String> sessionIds() {
		return this.sessions.stream().map(SessionSnapshot::sessionId).toList();
	}

	/** Whether more sessions follow and the page says how to ask for them. */
	public boolean more() {
		return this.hasMore && (this.nextPage != null || this.lastId != null);
	}

}
