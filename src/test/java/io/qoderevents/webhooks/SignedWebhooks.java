package io.qoderevents.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook deliveries as the upstream signs them, computed here rather than by the code
 * under test.
 */
final class SignedWebhooks {

	private SignedWebhooks() {
	}

	/** A session webhook's body naming {@code session}. */
	static String body(String session) {
		return "{\"type\": \"event\", \"id\": \"whe_1\", \"created_at\": \"2026-12-02T00:00:00Z\", \"data\":"
				+ " {\"type\": \"session\", \"id\": \"" + session + "\", \"status\": \"idle\"}}";
	}

	/** The Standard Webhooks signature of a delivery. */
	static String sign(String secret, String id, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(digest);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A fresh {@code webhook-id}. */
	static String webhookId() {
		byte[] random = new byte[12];
		ThreadLocalRandom.current().nextBytes(random);
		return "whe_" + HexFormat.of().formatHex(random);
	}

}
