package io.qoderevents.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The published Standard Webhooks test vector, so that the vendor's libraries agree. */
class WebhookSignaturesTests {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

	private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

	@Test
	void signWhenStandardTestVectorThenItsSignature() {
		assertThat(WebhookSignatures.sign(SECRET, ID, 1614265330, BODY)).isEqualTo(SIGNATURE);
	}

	@Test
	void verifyWhenOneOfSeveralSignaturesMatchesThenValid() {
		WebhookSignatures signatures = new WebhookSignatures(List.of(SECRET, ""));
		assertThat(signatures.verify(ID, "1614265330", BODY, "v1,bm9wZQ== v2,abc %%% " + SIGNATURE)).isTrue();
		assertThat(signatures.verify(ID, "1614265330", BODY, "v1,bm9wZQ== v1,not-base64!")).isFalse();
		assertThat(signatures.verify(ID, "1614265331", BODY, SIGNATURE)).isFalse();
		assertThat(signatures.verify(ID, "1614265330", BODY, SIGNATURE.replace("v1,", "v2,"))).isFalse();
	}

	@Test
	void newWhenSecretIsNotBase64ThenRefusedAtStart() {
		assertThatIllegalStateException().isThrownBy(() -> new WebhookSignatures(List.of("whsec_%%%")))
			.withMessageContaining("whsec_");
		assertThatIllegalStateException().isThrownBy(() -> new WebhookSignatures(List.of(" ", "")));
	}

}
