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
 */
class ApiKeys {

	private final List<Entry> entries;

	ApiKeys(List<ApiKey> keys) {
		this.entries = keys.stream().map(ApiKeys::entry).toList();
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

	private static Entry entry(ApiKey key) {
		boolean hasValue = key.value() != null && !key.value().isEmpty();
		boolean hasHash = key.sha256() != null && !key.sha256().isEmpty();
		if (hasValue == hasHash) {
			throw new IllegalStateException("API key '" + key.name() + "' needs exactly one of value and sha256");
		}
		byte[] digest;
		try {
			digest = hasValue ? sha256(key.value()) : HexFormat.of().parseHex(key.sha256().toLowerCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("API key '" + key.name() + "': sha256 is not hex", ex);
		}
		if (digest.length != 32) {
			throw new IllegalStateException("API key '" + key.name() + "': sha256 must be 64 hex digits");
		}
		return new Entry(key.name(), key.role(), digest);
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
