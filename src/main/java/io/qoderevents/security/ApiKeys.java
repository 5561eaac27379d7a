package io.qoderevents.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.qoderevents.config.QoderProperties.Api.ApiKey;
import io.qoderevents.config.QoderProperties.Api.Role;

/**
 * The configured API keys, held only as SHA-256 digests and compared in constant time.
 * Outside the demo a key given in clear text must be at least {@value #MIN_LENGTH}
 * characters long; a key given as its {@code sha256} cannot be checked.
 */
class ApiKeys {

	/** The shortest clear-text key accepted outside the demo profile. */
	static final int MIN_LENGTH = 32;

	private final List<Entry> entries;

	ApiKeys(List<ApiKey> keys, boolean demo) {
		this.entries = keys.stream().map((key) -> entry(key, demo)).toList();
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/** The key presented, if it is one of ours. */
	Optional<Entry> find(String presented) {
		byte[] digest = sha256(presented);
		Entry match = null;
		for (Entry entry : this.entries) {
			if (MessageDigest.isEqual(entry.digest(), digest)) {
				match = entry;
			}
		}
		return Optional.ofNullable(match);
	}

	private static Entry entry(ApiKey key, boolean demo) {
		boolean hasValue = key.value() != null && !key.value().isEmpty();
		boolean hasHash = key.sha256() != null && !key.sha256().isEmpty();
		if (hasValue == hasHash) {
			throw new IllegalStateException("API key '" + key.name() + "' needs exactly one of value and sha256");
		}
		if (hasValue && !demo && key.value().length() < MIN_LENGTH) {
			throw new IllegalStateException(
					"API key '" + key.name() + "' is " + key.value().length() + " characters long; keys need at least "
							+ MIN_LENGTH + " outside the demo profile (for example: openssl rand -hex 32)");
		}
		return new Entry(key.name(), key.role(), hasValue ? sha256(key.value()) : digest(key));
	}

	private static byte[] digest(ApiKey key) {
		String hex = key.sha256().toLowerCase(Locale.ROOT);
		if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
			throw new IllegalStateException("API key '" + key.name() + "': sha256 must be the 64 hex digits of the"
					+ " key's SHA-256 (printf %s \"$KEY\" | sha256sum); a placeholder or a key in clear text"
					+ " is not accepted");
		}
		return HexFormat.of().parseHex(hex);
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A known key: its name, role and digest. */
	record Entry(String name, Role role, byte[] digest) {
	}

}
