package io.qoderevents.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256>} over
 * {@code {webhook-id}.{webhook-timestamp}.{raw body}}, keyed with the base64 key after
 * {@code whsec_}. Verifies against every configured secret, compared in constant time.
 */
public final class WebhookSignatures {

	private static final String SECRET_PREFIX = "whsec_";

	private static final String VERSION = "v1,";

	private final List<SecretKeySpec> keys;

	/**
	 * Signatures checked against these secrets.
	 * @param secrets the accepted secrets, blanks skipped
	 * @throws IllegalStateException when a secret is not {@code whsec_} and base64
	 */
	WebhookSignatures(List<String> secrets) {
		this.keys = secrets.stream().filter((secret) -> !secret.isBlank()).map(WebhookSignatures::key).toList();
		if (this.keys.isEmpty()) {
			throw new IllegalStateException("No webhook secret is configured (qoder.webhooks.secret)");
		}
	}

	/**
	 * Whether one of the space-separated signatures of the header signs this content with
	 * one of the secrets.
	 */
	boolean verify(String id, String timestamp, byte[] body, String header) {
		List<byte[]> presented = new ArrayList<>();
		for (String signature : header.trim().split(" +")) {
			if (signature.startsWith(VERSION)) {
				try {
					presented.add(Base64.getDecoder().decode(signature.substring(VERSION.length())));
				}
				catch (IllegalArgumentException ex) {
					// not base64: signs nothing
				}
			}
		}
		boolean valid = false;
		for (SecretKeySpec key : this.keys) {
			byte[] expected = hmac(key, id, timestamp, body);
			for (byte[] signature : presented) {
				valid |= MessageDigest.isEqual(expected, signature);
			}
		}
		return valid;
	}

	/** The {@code webhook-signature} header value that signs this content. */
	public static String sign(String secret, String id, long timestamp, byte[] body) {
		return VERSION + Base64.getEncoder().encodeToString(hmac(key(secret), id, Long.toString(timestamp), body));
	}

	private static SecretKeySpec key(String secret) {
		String encoded = secret.trim();
		if (encoded.startsWith(SECRET_PREFIX)) {
			encoded = encoded.substring(SECRET_PREFIX.length());
		}
		try {
			byte[] key = Base64.getDecoder().decode(encoded);
			if (key.length == 0) {
				throw new IllegalArgumentException("empty");
			}
			return new SecretKeySpec(key, "HmacSHA256");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("A webhook secret must be 'whsec_' followed by a base64 key", ex);
		}
	}

	private static byte[] hmac(SecretKeySpec key, String id, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
