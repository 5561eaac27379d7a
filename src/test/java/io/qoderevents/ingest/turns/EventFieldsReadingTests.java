package io.qoderevents.ingest.turns;

import java.math.BigDecimal;
import java.util.stream.Stream;

import io.qoderevents.upstream.UpstreamEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the reports read out of an event's fields: token counts, credits, stop reasons,
 * retry statuses and error message patterns, in every variant the upstream has shipped.
 */
class EventFieldsReadingTests {

	@ParameterizedTest
	@MethodSource("tokenCounts")
	void tokensWhenFieldGivenThenANonNegativeCount(String usage, long count) {
		assertThat(EventFields.tokens(json("{\"usage\":" + usage + "}").get("usage"), "input_tokens")).isEqualTo(count);
	}

	static Stream<Arguments> tokenCounts() {
		return Stream.of(set("an integer", "{\"input_tokens\":12}", 12L),
				set("the largest long", "{\"input_tokens\":9223372036854775807}", Long.MAX_VALUE),
				set("a string holding an integer", "{\"input_tokens\":\"34\"}", 34L),
				set("a string with spaces around it", "{\"input_tokens\":\" 56 \"}", 56L),
				set("negative counts 0", "{\"input_tokens\":-3}", 0L),
				set("a negative string counts 0", "{\"input_tokens\":\"-7\"}", 0L),
				set("a fraction counts 0", "{\"input_tokens\":1.5}", 0L),
				set("a fractional string counts 0", "{\"input_tokens\":\"1.5\"}", 0L),
				set("text counts 0", "{\"input_tokens\":\"many\"}", 0L),
				set("beyond a long counts 0", "{\"input_tokens\":99999999999999999999}", 0L),
				set("a boolean counts 0", "{\"input_tokens\":true}", 0L),
				set("null counts 0", "{\"input_tokens\":null}", 0L),
				set("missing counts 0", "{\"output_tokens\":5}", 0L),
				set("a usage that is not an object counts 0", "[12]", 0L));
	}

	@ParameterizedTest
	@MethodSource("creditValues")
	void creditsWhenModelUsageGivenThenAnExactNonNegativeDecimal(String modelUsage, String credits) {
		BigDecimal read = EventFields.credits(json("{\"model_usage\":" + modelUsage + "}").get("model_usage"));
		assertThat(read.toPlainString()).isEqualTo(credits);
	}

	static Stream<Arguments> creditValues() {
		return Stream.of(set("a decimal", "{\"credits\":4.05}", "4.05"),
				set("a string holding a decimal", "{\"credits\":\"2.80\"}", "2.80"),
				set("more digits than a double holds, exactly", "{\"credits\":12345678901234567.89}",
						"12345678901234567.89"),
				set("an integer", "{\"credits\":3}", "3"), set("zero", "{\"credits\":0}", "0"),
				set("negative counts 0", "{\"credits\":-1.5}", "0"),
				set("text counts 0", "{\"credits\":\"lots\"}", "0"), set("null counts 0", "{\"credits\":null}", "0"),
				set("omitted when unknown counts 0", "{\"input_tokens\":5}", "0"),
				set("a model usage that is not an object counts 0", "4.05", "0"));
	}

	@ParameterizedTest
	@MethodSource("stopReasons")
	void stopReasonWhenIdleGivenThenItsType(String event, String stopReason) {
		assertThat(EventFields.stopReason(json(event))).isEqualTo(stopReason);
	}

	static Stream<Arguments> stopReasons() {
		return Stream.of(set("an object's type", "{\"stop_reason\":{\"type\":\"end_turn\"}}", "end_turn"),
				set("an object with event ids",
						"{\"stop_reason\":{\"type\":\"requires_action\",\"event_ids\":[\"evt_t1\"]}}",
						"requires_action"),
				set("a plain string", "{\"stop_reason\":\"cancelled\"}", "cancelled"),
				set("an object whose type is not a string", "{\"stop_reason\":{\"type\":5}}", null),
				set("an object without a type", "{\"stop_reason\":{}}", null),
				set("a number", "{\"stop_reason\":7}", null), set("missing", "{}", null));
	}

	@ParameterizedTest
	@MethodSource("retryStatuses")
	void retryStatusWhenErrorGivenThenAKnownStatusOrUnknown(String event, String status) {
		assertThat(EventFields.retryStatus(json(event))).isEqualTo(status);
	}

	static Stream<Arguments> retryStatuses() {
		return Stream.of(
				set("at the top level (the contract)", "{\"retry_status\":{\"type\":\"retrying\"}}", "retrying"),
				set("inside error (today's shape)", "{\"error\":{\"retry_status\":{\"type\":\"exhausted\"}}}",
						"exhausted"),
				set("the top level wins over error",
						"{\"retry_status\":{\"type\":\"terminal\"},\"error\":{\"retry_status\":{\"type\":\"retrying\"}}}",
						"terminal"),
				set("a status outside the three is unknown", "{\"retry_status\":{\"type\":\"later\"}}", "unknown"),
				set("a plain string is unknown", "{\"retry_status\":\"retrying\"}", "unknown"),
				set("missing is unknown", "{\"error\":{\"type\":\"billing_error\"}}", "unknown"));
	}

	@ParameterizedTest
	@MethodSource("messagePatterns")
	void messagePatternWhenMessageGivenThenItsVariablePartsReplaced(String message, String pattern) {
		assertThat(EventFields.messagePattern(message)).isEqualTo(pattern);
	}

	static Stream<Arguments> messagePatterns() {
		return Stream.of(set("null is empty", null, ""), set("blank is empty", "   ", ""),
				set("numbers and a prefixed id", "timed out after 31s (req_a1b2c3d4)", "timed out after <n>s (<id>)"),
				set("two messages that differ in their variable parts group together",
						"timed out after 30s (req_ffee0011)", "timed out after <n>s (<id>)"),
				set("a UUID", "session 0198f3c2-1a2b-7c3d-8e4f-0123456789ab failed", "session <id> failed"),
				set("a long hex string", "trace deadbeefcafe01 lost", "trace <id> lost"),
				set("decimals", "rate 1.5 per 30 s", "rate <n> per <n> s"),
				set("an error type of several underscores stays", "model_overloaded_error", "model_overloaded_error"),
				set("as the code stands, a word, an underscore and six or more letters reads as an id",
						"upstream_timeout reached", "<id> reached"),
				set("cut at 500 characters", "x".repeat(600), "x".repeat(500)));
	}

	private static Arguments set(String rule, Object... arguments) {
		return Arguments.argumentSet(rule, arguments);
	}

	private static JsonNode json(String raw) {
		return UpstreamEvent.of(raw).json();
	}

}
