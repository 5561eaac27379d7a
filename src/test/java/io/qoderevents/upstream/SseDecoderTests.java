package io.qoderevents.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The event-stream decoding, fed the same bytes split at every boundary. */
class SseDecoderTests {

	private static final String FIRST = "{\"id\":\"evt_1\",\"type\":\"agent.message\",\"content\":[{\"type\":\"text\","
			+ "\"text\":\"déjà vu 🚀\"}]}";

	private static final String SECOND = "{\"id\":\"evt_2\",\"type\":\"session.status_idle\",\"stop_reason\":\"end_turn\"}";

	/**
	 * A BOM, a heartbeat comment, an event, a ping and a heartbeat frame, two delta
	 * frames, an event split over two data lines and ended by CRLF, a CR-only frame, an
	 * error frame, and a frame the stream ends inside of.
	 */
	private static final String STREAM = "\uFEFF: heartbeat\n\n" + "id: evt_1\nevent: agent.message\ndata: " + FIRST
			+ "\n\n" + "event: ping\ndata: {}\n\n" + "event: heartbeat\ndata: {}\n\n"
			+ "event: event_start\ndata: {\"type\":\"event_start\"}\n\n"
			+ "event: event_delta\ndata: {\"type\":\"event_delta\",\"delta\":\"dé\"}\n\n"
			+ "id: evt_2\r\nevent: session.status_idle\r\ndata: {\"id\":\"evt_2\",\"type\":\r\ndata:"
			+ "\"session.status_idle\",\"stop_reason\":\"end_turn\"}\r\n\r\n" + ": keep-alive\r\r"
			+ "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}\n\n"
			+ "id: evt_3\nevent: agent.message\ndata: {\"id\":\"evt_3\",\"ty";

	private final PageParser parser = new PageParser();

	@Test
	void feedWhenSplitAtEveryByteBoundaryThenSameFrames() {
		byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
		List<StreamFrame> whole = decode(List.of(bytes));
		assertThat(whole).extracting(StreamFrame::kind)
			.containsExactly(StreamFrame.Kind.HEARTBEAT, StreamFrame.Kind.EVENT, StreamFrame.Kind.HEARTBEAT,
					StreamFrame.Kind.HEARTBEAT, StreamFrame.Kind.DELTA, StreamFrame.Kind.DELTA, StreamFrame.Kind.EVENT,
					StreamFrame.Kind.HEARTBEAT, StreamFrame.Kind.ERROR);
		assertThat(whole.get(1).event().raw()).isEqualTo(FIRST);
		assertThat(whole.get(1).event().id()).isEqualTo("evt_1");
		assertThat(whole.get(6).event().raw())
			.isEqualTo("{\"id\":\"evt_2\",\"type\":\n\"session.status_idle\",\"stop_reason\":\"end_turn\"}");
		assertThat(whole.get(6).event().type()).isEqualTo("session.status_idle");
		assertThat(whole.get(8).failure().errorType()).isEqualTo("api_error");
		assertThat(whole.get(8).failure().message()).isEqualTo("boom");
		for (int split = 1; split < bytes.length; split++) {
			List<StreamFrame> frames = decode(
					List.of(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length)));
			assertThat(frames).as("split at byte %d", split).isEqualTo(whole);
		}
	}

	@Test
	void feedWhenOneByteAtATimeThenSameFrames() {
		byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
		List<byte[]> single = new ArrayList<>();
		for (byte b : bytes) {
			single.add(new byte[] { b });
		}
		assertThat(decode(single)).isEqualTo(decode(List.of(bytes)));
	}

	@Test
	void feedWhenEventDataIsNotJsonThenAnEventToQuarantine() {
		List<StreamFrame> frames = decode(List.of("id: evt_9\ndata: {not json\n\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.kind()).isEqualTo(StreamFrame.Kind.EVENT);
			assertThat(frame.event().object()).isFalse();
			assertThat(frame.event().raw()).isEqualTo("{not json");
		});
	}

	@Test
	void feedWhenFrameLargerThanLimitThenRefused() {
		SseDecoder decoder = new SseDecoder(16);
		assertThatExceptionOfType(SseDecoder.FrameTooLargeException.class)
			.isThrownBy(() -> decoder.feed(("data: " + SECOND + "\n\n").getBytes(StandardCharsets.UTF_8)));
	}

	private List<StreamFrame> decode(List<byte[]> chunks) {
		SseDecoder decoder = new SseDecoder(1 << 20);
		List<StreamFrame> frames = new ArrayList<>();
		for (byte[] chunk : chunks) {
			decoder.feed(chunk).forEach((frame) -> frames.add(StreamFrame.of(frame, "req_1", this.parser)));
		}
		return frames;
	}

}
