package io.qoderevents.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The events of one turn as {@link BenchEvents} builds them: envelope fields as the
 * upstream varies them (the primary contract's, or today's: {@code id}, {@code type},
 * often {@code processed_at}, a thread now and then), increasing timestamps of varied
 * precision, and text that brings each event to a size drawn between 0.5 and 2 KB.
 */
final class BenchTurn {

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private static final HexFormat HEX = HexFormat.of();

	private static final String[] ESCAPED = { " \\\"quoted\\\" ", "\\n", " \\\\path\\\\to ", "\\t", " caf\\u00e9 " };

	/**
	 * Plain text to cut padding from: ASCII words and a few non-ASCII letters, nothing
	 * JSON must escape.
	 */
	private static final String TEXT = corpus();

	private final BenchEvents.Session session;

	private final SplittableRandom random;

	private final boolean today;

	private String turnId;

	private String threadId;

	private String lastTime;

	private final List<BenchEvents.Event> events = new ArrayList<>(BenchEvents.TURN_LENGTH);

	private final long step;

	private final int firstPosition;

	private long at;

	private StringBuilder json;

	private int target;

	/**
	 * @param today whether the turn has today's shape (no turn id: the turn is the
	 * {@code user.message} that opens it) rather than the primary contract's
	 */
	BenchTurn(BenchEvents.Session session, int turn, SplittableRandom random, long at, long step, boolean today) {
		this.session = session;
		this.random = random;
		this.at = at;
		this.step = step;
		this.today = today;
		this.firstPosition = turn * BenchEvents.TURN_LENGTH;
		this.turnId = today ? null : "turn_" + uuid7(at);
	}

	/**
	 * The sub-agent thread of the events added next ({@code session_thread_id}, today's
	 * shape), or null for the primary thread.
	 */
	void thread(String threadId) {
		this.threadId = threadId;
	}

	/** Appends an event whose type-specific fields the writer adds; returns its id. */
	String add(String type, Consumer<StringBuilder> fields) {
		int position = this.events.size();
		this.target = 512 + this.random.nextInt(1536);
		this.at += 1 + this.random.nextLong(this.step);
		String id = "evt_"
				+ ((this.random.nextInt(10) < 6) ? uuid7(this.at).substring(0, 16)
						: HEX.toHexDigits(this.random.nextLong()))
				+ HEX.toHexDigits(this.session.number()) + HEX.toHexDigits(this.firstPosition + position);
		StringBuilder json = new StringBuilder(this.target + 64);
		this.json = json;
		json.append("{\"id\":\"").append(id).append("\",\"type\":\"").append(type).append('"');
		String eventTime = this.today ? todayEnvelope(json, type, position) : contractEnvelope(json);
		fields.accept(json);
		json.append('}');
		if (this.today && this.turnId == null && "user.message".equals(type)) {
			// the ingester files the running events before the message under the message
			this.turnId = id;
			this.events.replaceAll((event) -> event.inTurn(this.turnId));
		}
		this.events.add(new BenchEvents.Event(id, type, this.turnId, this.today ? this.threadId : null, eventTime,
				json.toString()));
		return id;
	}

	/**
	 * The primary contract's envelope; returns the event time the ingester derives (an
	 * event without {@code turn_id} is counted in its turn, as the ingester does when the
	 * turn is open).
	 */
	private String contractEnvelope(StringBuilder json) {
		String createdAt = stamp(this.at);
		String processedAt = (this.random.nextInt(5) == 0) ? stamp(this.at + this.random.nextInt(10)) : createdAt;
		int envelope = this.random.nextInt(100);
		if (envelope < 3) {
			createdAt = null;
		}
		else {
			json.append(",\"session_id\":\"").append(this.session.id()).append("\",\"turn_id\":\"").append(this.turnId);
			json.append("\",\"schema_version\":\"1.0\"");
			if (envelope < 6) {
				createdAt = null;
			}
			else if (envelope < 9) {
				processedAt = null;
			}
		}
		if (createdAt != null) {
			json.append(",\"created_at\":\"").append(createdAt).append('"');
		}
		if (processedAt != null) {
			json.append(",\"processed_at\":\"").append(processedAt).append('"');
		}
		return (createdAt != null) ? createdAt : processedAt;
	}

	/**
	 * Today's envelope: {@code processed_at} missing on about a quarter of the events
	 * (most thinking, many tool results; never on the turn's first two events, the status
	 * events or the message), {@code session_thread_id} and {@code agent_name} on thread
	 * events. Returns the event time the ingester derives: the timestamp, else the one
	 * before it.
	 */
	private String todayEnvelope(StringBuilder json, String type, int position) {
		int missing = switch (type) {
			case "agent.thinking" -> 70;
			case "agent.tool_result" -> 40;
			case "session.status_running", "session.status_idle", "user.message", "agent.message" -> 0;
			default -> 25;
		};
		if (position < 2 || this.random.nextInt(100) >= missing) {
			this.lastTime = stamp(this.at);
			json.append(",\"processed_at\":\"").append(this.lastTime).append('"');
		}
		if (this.threadId != null) {
			json.append(",\"session_thread_id\":\"").append(this.threadId).append("\",\"agent_name\":\"reviewer\"");
		}
		return this.lastTime;
	}

	/**
	 * Text that brings the event to its target size, with now and then a character JSON
	 * escapes.
	 */
	String text() {
		int length = Math.max(16, this.target - this.json.length() - 24);
		this.target = 0;
		int from = this.random.nextInt(TEXT.length() - length - 1);
		StringBuilder text = new StringBuilder(length + 16);
		if (this.random.nextInt(4) == 0) {
			text.append(ESCAPED[this.random.nextInt(ESCAPED.length)]);
		}
		return text.append(TEXT, from, from + length).toString().stripTrailing();
	}

	void metadata(StringBuilder json) {
		json.append(",\"metadata\":{\"region\":\"cn-hangzhou\",\"attempt\":")
			.append(1 + this.random.nextInt(3))
			.append(",\"note\":\"")
			.append(text())
			.append("\"}");
	}

	void usage(StringBuilder json) {
		json.append("{\"input_tokens\":")
			.append(200 + this.random.nextInt(9_800))
			.append(",\"output_tokens\":")
			.append(20 + this.random.nextInt(3_000))
			.append(",\"cache_read_input_tokens\":")
			.append(this.random.nextBoolean() ? 1_000 + this.random.nextInt(80_000) : 0)
			.append(",\"cache_creation_input_tokens\":")
			.append(this.random.nextBoolean() ? 100 + this.random.nextInt(6_000) : 0)
			.append('}');
	}

	void modelUsage(StringBuilder json, String startId) {
		json.append(",\"model_request_start_id\":\"").append(startId).append("\",\"is_error\":false,\"model_usage\":");
		usage(json);
		metadata(json);
	}

	/**
	 * A model call's end in today's shape: {@code model_usage} as given (credits only),
	 * or none when null.
	 */
	void modelUsage(StringBuilder json, String startId, String modelUsage) {
		json.append(",\"is_error\":false,\"model_request_start_id\":\"").append(startId).append('"');
		if (modelUsage != null) {
			json.append(",\"model_usage\":").append(modelUsage);
		}
		metadata(json);
	}

	private String stamp(long epochMillis) {
		Instant instant = Instant.ofEpochMilli(epochMillis).plusNanos(this.random.nextInt(1_000_000));
		int choice = this.random.nextInt(10);
		int digits = (choice < 4) ? 9
				: (choice < 7) ? 3 : (choice < 8) ? 6 : (choice < 9) ? 0 : 1 + this.random.nextInt(8);
		String nanos = Integer.toString(1_000_000_000 + instant.getNano()).substring(1, 1 + digits);
		return SECONDS.format(instant) + ((digits > 0) ? "." + nanos : "") + "Z";
	}

	private String uuid7(long epochMillis) {
		long high = (epochMillis << 16) | 0x7000L | (this.random.nextLong() & 0x0FFFL);
		long low = (this.random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return HEX.toHexDigits(high) + HEX.toHexDigits(low);
	}

	List<BenchEvents.Event> events() {
		return this.events;
	}

	private static String corpus() {
		String[] words = { "the", "build", "passes", "again", "after", "fixing", "OrderService.java", "line", "42",
				"mvn", "-q", "test", "cursor", "pagination", "index", "scan", "résumé", "naïve", "数据", "表", "refactor",
				"tests", "green", "{ok}", "[1,2,3]", "src/main/java", "approval", "branch", "pushed", "query", "plan" };
		SplittableRandom random = new SplittableRandom(7);
		StringBuilder text = new StringBuilder();
		while (text.length() < 64 * 1024) {
			text.append(words[random.nextInt(words.length)]).append(' ');
		}
		return text.toString();
	}

}
