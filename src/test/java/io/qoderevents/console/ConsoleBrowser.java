package io.qoderevents.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian chromium driven by its chromium-driver, or a skipped test saying how
 * to install them.
 */
public final class ConsoleBrowser implements AutoCloseable {

	/** What a skipped browser test says. */
	public static final String INSTALL = "Browser tests skipped: no chromium and chromium-driver found;"
			+ " install them with: sudo apt-get install -y chromium chromium-driver";

	private static final Path SHOTS = Path.of("target/console");

	private static final Path DOCS = Path.of("docs/console");

	private final ChromeDriver driver;

	private final String base;

	private ConsoleBrowser(ChromeDriver driver, int port) {
		this.driver = driver;
		this.base = "http://127.0.0.1:" + port;
	}

	/** Starts the browser at 1280×800, or aborts the test when there is none. */
	public static ConsoleBrowser start(int port) {
		Path browser = find("QODER_TEST_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
		Path driver = find("QODER_TEST_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
		if (browser == null || driver == null) {
			System.out.println(INSTALL);
			Assumptions.abort(INSTALL);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,800", "--hide-scrollbars", "--force-device-scale-factor=1");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(service, options);
		chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		return new ConsoleBrowser(chrome, port);
	}

	private static Path find(String variable, String... candidates) {
		String configured = System.getenv(variable);
		if (configured != null && Files.isExecutable(Path.of(configured))) {
			return Path.of(configured);
		}
		for (String candidate : candidates) {
			if (Files.isExecutable(Path.of(candidate))) {
				return Path.of(candidate);
			}
		}
		return null;
	}

	/** Opens a console route ({@code #/sessions}, …) from a fresh page load. */
	public void open(String route) {
		this.driver.get(this.base + "/console" + route);
	}

	public void get(String path) {
		this.driver.get(this.base + path);
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Waits up to 30 s for an element to be displayed, through the page's re-renders (an
	 * element found just before a refresh replaces it is looked up again).
	 */
	public WebElement await(By by) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
			.until((d) -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
	}

	/**
	 * Waits up to 30 s for a displayed element whose text contains {@code text}, through
	 * the page's re-renders; returns its text.
	 */
	public String awaitText(By by, String text) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
			.until((d) -> d.findElements(by)
				.stream()
				.filter(WebElement::isDisplayed)
				.map(WebElement::getText)
				.filter((shown) -> shown.contains(text))
				.findFirst()
				.orElse(null));
	}

	/**
	 * Presses Enter on the first displayed element found, looked up again when a refresh
	 * of the page replaced it before the key reached it.
	 */
	public void pressEnter(By by) {
		new WebDriverWait(this.driver, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
			.until((d) -> {
				WebElement element = d.findElements(by)
					.stream()
					.filter(WebElement::isDisplayed)
					.findFirst()
					.orElse(null);
				if (element == null) {
					return null;
				}
				element.sendKeys(Keys.ENTER);
				return true;
			});
	}

	/** Stops the page's polling: the next test empties the tables it reads. */
	public void leave() {
		this.driver.get("about:blank");
	}

	public Object script(String script, Object... args) {
		return ((JavascriptExecutor) this.driver).executeScript(script, args);
	}

	/** The browser console's entries since the last call, at SEVERE level. */
	public List<String> errors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	public void size(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	/**
	 * Saves a PNG of the page under target/console/ and copies it to docs/console/.
	 */
	public Path screenshot(String name) {
		try {
			Files.createDirectories(SHOTS);
			Path shot = SHOTS.resolve(name + ".png");
			Files.write(shot, this.driver.getScreenshotAs(OutputType.BYTES));
			Files.createDirectories(DOCS);
			Files.copy(shot, DOCS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return shot;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
