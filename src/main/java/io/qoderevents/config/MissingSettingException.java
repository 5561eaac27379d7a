package io.qoderevents.config;

/**
 * A setting the service cannot start without, with what is wrong and what to set:
 * reported at start-up by {@link MissingSettingFailureAnalyzer}.
 */
public class MissingSettingException extends RuntimeException {

	private final String action;

	/**
	 * A missing setting.
	 * @param description what is wrong, naming the property and its environment variable
	 * @param action what to set
	 */
	public MissingSettingException(String description, String action) {
		super(description);
		this.action = action;
	}

	/** What to set. */
	public String action() {
		return this.action;
	}

}
