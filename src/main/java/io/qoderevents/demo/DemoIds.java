package io.qoderevents.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;

/** Ids and timestamps shaped like the vendor's. */
final class DemoIds {

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

	private DemoIds() {
	}

	/** {@code evt_} and UUIDv7 hex (mostly), UUIDv4 hex or a short base32-like string. */
	static String eventId(Instant at, Random random) {
		int kind = random.nextInt(100);
		String suffix = (kind < 60) ? uuid7(at, random) : (kind < 85) ? uuid4(random) : base32(random);
		return "evt_" + suffix;
	}

	static String turnId(Instant at, Random random) {
		return "turn_" + uuid7(at, random);
	}

	static String uuid7(Instant at, Random random) {
		long high = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return hex(high, low);
	}

	static String uuid4(Random random) {
		long high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return hex(high, low);
	}

	static String base32(Random random) {
		StringBuilder id = new StringBuilder();
		for (int i = 10 + random.nextInt(17); i > 0; i--) {
			id.append(BASE32.charAt(random.nextInt(BASE32.length())));
		}
		return id.toString();
	}

	/**
	 * The instant as RFC 3339 UTC with this many fractional digits (0 to 9), truncating
	 * the rest.
	 */
	static String format(Instant at, int digits) {
		String seconds = SECONDS.format(at) + ((digits > 0) ? "." : "");
		return seconds + String.format("%09d", at.getNano()).substring(0, digits) + "Z";
	}

	/**
	 * The first instant after {@code after} that {@code digits} fractional digits
	 * represent exactly.
	 */
	static Instant ceil(Instant after, int digits) {
		long unit = (long) Math.pow(10, 9 - digits);
		long nanos = ((after.getNano() / unit) + 1) * unit;
		return Instant.ofEpochSecond(after.getEpochSecond(), nanos);
	}

	private static String hex(long high, long low) {
		return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
	}

}
