package io.qoderevents.usage;

import java.util.Locale;
import java.util.regex.Pattern;

import io.qoderevents.web.InvalidParameterException;

/**
 * How a usage report groups usage: by one attribute of its sessions (session, model,
 * agent, environment or one metadata key), in day or hour buckets, or in buckets and by
 * one attribute ({@code day,metadata.team}).
 *
 * @param bucket the time bucket, or null
 * @param attribute the attribute, or null
 * @param metadataKey the metadata key when the attribute is {@code metadata.<key>}
 */
record UsageGrouping(Bucket bucket, Attribute attribute, String metadataKey) {

	/** Metadata keys a report groups or filters by. */
	static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_\\-:.]{1,64}");

	static final String METADATA_PREFIX = "metadata.";

	static final UsageGrouping SESSION = new UsageGrouping(null, Attribute.SESSION, null);

	static final UsageGrouping MODEL = new UsageGrouping(null, Attribute.MODEL, null);

	static final UsageGrouping DAY = new UsageGrouping(Bucket.DAY, null, null);

	static final UsageGrouping HOUR = new UsageGrouping(Bucket.HOUR, null, null);

	private static final String CHOICES = "group_by must be one of session, model, agent, environment, "
			+ "metadata.<key>, day, hour, or day or hour and one of the others joined by a comma (day,metadata.team)";

	/**
	 * The grouping a {@code group_by} value names, by session when it is blank.
	 * @throws InvalidParameterException naming {@code group_by} otherwise
	 */
	static UsageGrouping of(String value) {
		if (value == null || value.isBlank()) {
			return SESSION;
		}
		String[] parts = value.split(",", -1);
		if (parts.length > 2) {
			throw invalid();
		}
		Bucket bucket = Bucket.of(parts[0]);
		if (parts.length == 1) {
			return (bucket != null) ? new UsageGrouping(bucket, null, null) : attribute(null, parts[0]);
		}
		if (bucket == null) {
			throw invalid();
		}
		return attribute(bucket, parts[1]);
	}

	private static UsageGrouping attribute(Bucket bucket, String value) {
		if (value.startsWith(METADATA_PREFIX)) {
			String key = value.substring(METADATA_PREFIX.length());
			if (!METADATA_KEY.matcher(key).matches()) {
				throw new InvalidParameterException("group_by",
						"group_by metadata.<key> needs a key of 1 to 64 letters, digits, '_', '-', ':' or '.'");
			}
			return new UsageGrouping(bucket, Attribute.METADATA, key);
		}
		for (Attribute attribute : Attribute.values()) {
			if (attribute != Attribute.METADATA && attribute.parameter().equals(value)) {
				return new UsageGrouping(bucket, attribute, null);
			}
		}
		throw invalid();
	}

	private static InvalidParameterException invalid() {
		return new InvalidParameterException("group_by", CHOICES);
	}

	/** The canonical {@code group_by} value of this grouping. */
	String parameter() {
		String attribute = (this.attribute == null) ? null : (this.attribute == Attribute.METADATA)
				? METADATA_PREFIX + this.metadataKey : this.attribute.parameter();
		if (this.bucket == null) {
			return attribute;
		}
		return (attribute != null) ? this.bucket.parameter() + "," + attribute : this.bucket.parameter();
	}

	boolean bucketed() {
		return this.bucket != null;
	}

	/** Rows of one session each (with its billed credits). */
	boolean bySessionOnly() {
		return this.bucket == null && this.attribute == Attribute.SESSION;
	}

	/** A time bucket, also the {@code date_trunc} unit. */
	enum Bucket {

		DAY, HOUR;

		static Bucket of(String value) {
			for (Bucket bucket : values()) {
				if (bucket.parameter().equals(value)) {
					return bucket;
				}
			}
			return null;
		}

		String parameter() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** An attribute of the sessions that usage is grouped by. */
	enum Attribute {

		SESSION, MODEL, AGENT, ENVIRONMENT, METADATA;

		String parameter() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
