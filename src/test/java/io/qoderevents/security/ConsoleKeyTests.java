package io.qoderevents.security;

import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.console.ConsoleBrowser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console with API keys on (the same settings as {@link ApiSecurityTests}, so the
 * same application): its pages and assets need no key, the API still does, and the
 * browser asks for a key when the API answers 401.
 */
@TestPropertySource(properties = { "qoder.api.auth.enabled=true", "qoder.api.auth.keys[0].name=dashboards",
		"qoder.api.auth.keys[0].value=read-key-1", "qoder.api.auth.keys[0].role=read",
		"qoder.api.auth.keys[1].name=ops", "qoder.api.auth.keys[1].sha256=" + ApiSecurityTests.ADMIN_KEY_SHA256,
		"qoder.api.auth.keys[1].role=admin", "qoder.upstream.token=" + ApiSecurityTests.TOKEN,
		"qoder.api.cors.allowed-origins=" + ApiSecurityTests.DASHBOARD })
class ConsoleKeyTests extends IntegrationTest {

	@Test
	void consoleWhenKeysOnThenPagesAndAssetsNeedNoKeyAndTheApiStillDoes() {
		for (String path : new String[] { "/console", "/console/", "/console/app.js", "/console/console.css",
				"/webjars/uplot/1.6.30/dist/uPlot.esm.js" }) {
			Response response = this.api.getRaw(path);
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.headers().getFirst("Content-Security-Policy")).as(path).contains("default-src 'self'");
		}
		assertThat(this.api.getRaw("/", "Accept", "text/html").body()).contains("/console/app.js");
		assertThat(this.api.getRaw("/api/v1/ingestion").status()).isEqualTo(401);
		assertThat(this.api.getRaw("/api/v1/ingestion", "Authorization", "Bearer read-key-1").status()).isEqualTo(200);
	}

	@Test
	void consoleWhenApiAnswers401ThenAsksForAKeyAndUsesIt() {
		String session = tracked(3);
		syncNow(session);
		try (ConsoleBrowser browser = ConsoleBrowser.start(this.port)) {
			browser.open("#/sessions");
			browser.awaitText(By.id("key-prompt"), "401");
			browser.screenshot("key-prompt");
			browser.driver().findElement(By.id("key-input")).sendKeys("read-key-1");
			browser.driver().findElement(By.cssSelector("#key-form button[type=submit]")).click();
			browser.awaitText(By.cssSelector("tr[data-session='" + session + "']"), session);
			assertThat(browser.script("return sessionStorage.getItem('qoder-events.api-key')")).isEqualTo("read-key-1");
			assertThat(browser.driver().getCurrentUrl()).doesNotContain("read-key-1");
			assertThat(browser.driver().manage().getCookies()).isEmpty();
		}
	}

}
