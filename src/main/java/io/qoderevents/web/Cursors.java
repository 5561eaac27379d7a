package io.qoderevents.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Opaque keyset cursors: the sort key of the last row served, tagged with the list it
 * belongs to and a checksum, so a tampered cursor or one taken from another list is
 * refused with 400 instead of paging wrongly.
 */
public final class Cursors {

	private static final char SEPARATOR = '\u001f';

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private Cursors() {
	}

	/**
	 * The cursor for the list {@code kind} continuing after the row with these key
	 * values.
	 */
	public static String encode(String kind, String... values) {
		String text = kind + SEPARATOR + String.join(String.valueOf(SEPARATOR), values);
		return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "." + checksum(text);
	}

	/**
	 * The key values of a cursor of the list {@code kind}; {@code null} for an absent
	 * cursor.
	 * @throws InvalidParameterException naming {@code cursor} when it is malformed,
	 * tampered or foreign
	 */
	public static List<String> decode(String kind, String cursor, int size) {
		if (cursor == null || cursor.isEmpty()) {
			return null;
		}
		int dot = cursor.lastIndexOf('.');
		String text;
		try {
			text = (dot > 0)
					? new String(Base64.getUrlDecoder().decode(cursor.substring(0, dot)), StandardCharsets.UTF_8)
					: null;
		}
		catch (IllegalArgumentException ex) {
			text = null;
		}
		if (text == null || !checksum(text).equals(cursor.substring(dot + 1))) {
			throw invalid();
		}
		List<String> parts = Arrays.asList(text.split(String.valueOf(SEPARATOR), -1));
		if (parts.size() != size + 1 || !parts.get(0).equals(kind)) {
			throw invalid();
		}
		return parts.subList(1, parts.size());
	}

	/**
	 * The 400 for a cursor that is not one of this list (also for a valid cursor that
	 * fails a later check).
	 */
	public static InvalidParameterException invalid() {
		return new InvalidParameterException("cursor", "cursor is not a cursor of this list; start without one");
	}

	private static String checksum(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(("qoder-events:" + text).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
