package io.qoderevents.ingest.turns;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.qoderevents.upstream.UpstreamEvent;

/**
 * Whether a page re-read from inside a session's stored history (after the upstream
 * rejected the cursor, or a poll from the start) still lists the stored history: every
 * element up to the last stored sequence must be a stored event of the session. A new id
 * listed before the stored history ends means the upstream's history is not the stored
 * one; then nothing of the page may be stored.
 *
 * @param listedId the first id the upstream lists where the stored history has another
 * @param position the stored sequence the listed id stands at
 */
public record Divergence(String listedId, long position) {

	/**
	 * Checks a page.
	 * @param eventCount the session's last stored sequence
	 * @param startSequence the stored sequence of the cursor the page was fetched after
	 * (0 from the start)
	 * @param page the page's elements in list order
	 * @param storedSequences the stored sequence of each id of the page stored for this
	 * session
	 * @param otherSessions ids of the page stored for other sessions (quarantined, never
	 * this session's)
	 * @return the first divergence, or null when the page agrees with the stored history
	 */
	public static Divergence of(long eventCount, long startSequence, List<UpstreamEvent> page,
			Map<String, Long> storedSequences, Set<String> otherSessions) {
		long position = startSequence;
		for (UpstreamEvent event : page) {
			String id = event.id();
			if (id == null || event.type() == null || otherSessions.contains(id)) {
				continue;
			}
			Long stored = storedSequences.get(id);
			if (stored != null) {
				position = stored;
			}
			else if (position < eventCount) {
				return new Divergence(id, position + 1);
			}
		}
		return null;
	}

	/** The message recorded on the session. */
	public String message() {
		return "The upstream lists event " + this.listedId + " at position " + this.position
				+ ", where the stored history has another event: the upstream's history is not the stored one;"
				+ " nothing more is stored for this session";
	}

}
