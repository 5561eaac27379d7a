package io.qoderevents.demo;

/** Which of the upstream's event shapes a simulated session speaks. */
public enum UpstreamShape {

	/**
	 * The primary contract (May 2026): {@code turn_id}, {@code session_id} and
	 * {@code created_at} on every event, token {@code usage} on idle events.
	 */
	V0,

	/**
	 * Today's upstream (since about August 2026): {@code id}, {@code type} and often
	 * {@code processed_at} only; credits on model spans; turns that pause.
	 */
	TODAY

}
