package io.qoderevents.demo;

import reactor.core.publisher.Flux;

/**
 * The answer to a stream request.
 *
 * @param head the status and headers; the error body when the stream was refused
 * @param frames the raw text to write, chunk by chunk, flushing each; null when refused
 */
public record SimulatedEventStream(SimulatedResponse head, Flux<String> frames) {
}
