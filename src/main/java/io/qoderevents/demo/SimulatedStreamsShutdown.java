package io.qoderevents.demo;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;

/**
 * Ends every open stream of the simulator, and each one opened later at once, when the
 * application stops: in the first shutdown phase, before the web server's graceful
 * shutdown would wait for those responses.
 */
final class SimulatedStreamsShutdown implements SmartLifecycle {

	private final SimulatedQoder qoder;

	private volatile boolean running;

	SimulatedStreamsShutdown(SimulatedQoder qoder) {
		this.qoder = qoder;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.qoder.streamLifetime(Duration.ZERO);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
