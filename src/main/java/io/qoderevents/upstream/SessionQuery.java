package io.qoderevents.upstream;

import java.util.List;

/**
 * Which sessions a session list request asks for.
 *
 * @param statuses only sessions in these states ({@code statuses[]}), all when empty
 * @param includeArchived whether archived sessions are listed too
 */
public record SessionQuery(List<String> statuses, boolean includeArchived) {

	/** Every session, archived ones included. */
	public static final SessionQuery ALL = new SessionQuery(List.of(), true);

}
