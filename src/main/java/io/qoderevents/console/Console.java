package io.qoderevents.console;

/**
 * The read-only browser console: static files under {@code /console/}, the charting
 * WebJar, and {@code GET /api/v1/ingestion} for its Ingestion page.
 */
public final class Console {

	/** The console's page, served for {@code /console} and for a browser's {@code /}. */
	public static final String PAGE = "/console/index.html";

	/** The paths the console's pages and assets are served on. */
	public static final String[] PATHS = { "/console", "/console/**", "/webjars/uplot/**" };

	/** The Content-Security-Policy of the console's responses. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:;"
			+ " object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private Console() {
	}

}
