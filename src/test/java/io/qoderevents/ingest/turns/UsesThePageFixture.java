package io.qoderevents.ingest.turns;

import io.qoderevents.ingest.page.PageWriter;

/**
 * A deliberate violation for {@code ArchitectureTests}: derivation that reaches into the
 * page transaction, which the rules on ingest's parts must reject. Never used.
 */
final class UsesThePageFixture {

	private UsesThePageFixture() {
	}

	static boolean applied(PageWriter.Outcome outcome) {
		return outcome.applied();
	}

}
