package io.qoderevents.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.qoderevents.config.QoderProperties.Api.ApiKey;
import io.qoderevents.config.QoderProperties.Api.Role;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ApiKeysTests {

	private static final String LONG_KEY = "0123456789abcdef0123456789abcdef";

	@Test
	void keysWhenClearKeyShorterThan32OutsideDemoThenRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new ApiKeys(List.of(clear("ops", LONG_KEY.substring(1))), false))
			.withMessage("API key 'ops' is 31 characters long; keys need at least 32 outside the demo profile"
					+ " (for example: openssl rand -hex 32)");
	}

	@Test
	void keysWhenClearKeyOf32OrShortKeyInDemoThenAccepted() {
		assertThat(new ApiKeys(List.of(clear("ops", LONG_KEY)), false).find(LONG_KEY)).isPresent();
		assertThat(new ApiKeys(List.of(clear("ops", "short")), true).find("short")).isPresent();
	}

	@Test
	void keysWhenSha256IsNotADigestThenRefusedWithHowToMakeOne() {
		for (String sha256 : new String[] { "REPLACE-ME", LONG_KEY, LONG_KEY + LONG_KEY + "0",
				LONG_KEY.replace('0', 'g') + LONG_KEY }) {
			assertThatIllegalStateException().isThrownBy(() -> new ApiKeys(List.of(hashed("ops", sha256)), true))
				.withMessageContaining("API key 'ops': sha256 must be the 64 hex digits")
				.withMessageContaining("sha256sum");
		}
	}

	@Test
	void keysWhenSha256GivenInEitherCaseThenMatchesTheKey() {
		String digest = HexFormat.of().formatHex(ApiKeys.sha256(LONG_KEY));
		assertThat(new ApiKeys(List.of(hashed("ops", digest.toUpperCase(Locale.ROOT))), false).find(LONG_KEY))
			.hasValueSatisfying((entry) -> assertThat(entry.name()).isEqualTo("ops"));
		assertThat(new ApiKeys(List.of(hashed("ops", digest)), false).find(LONG_KEY + "x")).isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void keysWhenCopiedFromProductionExampleThenServiceRefusesToStart() throws IOException {
		Map<String, Object> values = new Yaml()
			.load(Files.readString(Path.of("helm/qoder-events/examples/production-values.yaml")));
		List<Map<String, String>> keys = (List<Map<String, String>>) values.get("apiKeys");
		assertThat(keys).isNotEmpty().allSatisfy((key) -> {
			ApiKey apiKey = new ApiKey(key.get("name"), key.get("value"), key.get("sha256"),
					Role.valueOf(key.get("role").toUpperCase(Locale.ROOT)));
			assertThatIllegalStateException().isThrownBy(() -> new ApiKeys(List.of(apiKey), false))
				.withMessageContaining("API key '" + key.get("name") + "'");
		});
	}

	private static ApiKey clear(String name, String value) {
		return new ApiKey(name, value, null, Role.ADMIN);
	}

	private static ApiKey hashed(String name, String sha256) {
		return new ApiKey(name, null, sha256, Role.ADMIN);
	}

}
