package io.qoderevents.budgets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sessions a budget counts, by each session's latest snapshot: every session
 * ({@code all}), one agent's ({@code agent=<id>}) or those whose metadata has a value
 * under a key ({@code metadata.<key>=<value>}, compared as text).
 *
 * @param kind what the scope selects by
 * @param key the metadata key (metadata scopes only)
 * @param value the agent id or the metadata value (null for {@code all})
 */
record BudgetScope(Kind kind, String key, String value) {

	private static final Pattern AGENT = Pattern.compile("agent=(.+)");

	private static final Pattern METADATA = Pattern.compile("metadata\\.([^=]+)=(.+)");

	static final BudgetScope ALL = new BudgetScope(Kind.ALL, null, null);

	/** The scope a setting names, or empty when it names none. */
	static Optional<BudgetScope> parse(String text) {
		String trimmed = text.strip();
		if (trimmed.equals("all")) {
			return Optional.of(ALL);
		}
		Matcher agent = AGENT.matcher(trimmed);
		if (agent.matches()) {
			return Optional.of(new BudgetScope(Kind.AGENT, null, agent.group(1)));
		}
		Matcher metadata = METADATA.matcher(trimmed);
		if (metadata.matches()) {
			return Optional.of(new BudgetScope(Kind.METADATA, metadata.group(1), metadata.group(2)));
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case ALL -> "all";
			case AGENT -> "agent=" + this.value;
			case METADATA -> "metadata." + this.key + "=" + this.value;
		};
	}

	/** What a scope selects sessions by. */
	enum Kind {

		/** Every session. */
		ALL,
		/** The snapshot's agent id. */
		AGENT,
		/** A value of the snapshot's metadata. */
		METADATA

	}

}
