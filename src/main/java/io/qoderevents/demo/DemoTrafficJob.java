package io.qoderevents.demo;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Plays one turn in every live demo session per {@code qoder.demo.turn-interval}, its
 * events appearing over {@code qoder.demo.turn-pace}.
 */
class DemoTrafficJob {

	private final DemoTraffic traffic;

	DemoTrafficJob(DemoTraffic traffic) {
		this.traffic = traffic;
	}

	@Scheduled(fixedDelayString = "${qoder.demo.turn-interval:5s}",
			initialDelayString = "${qoder.demo.turn-interval:5s}")
	void run() {
		this.traffic.advance();
	}

	@Scheduled(fixedDelay = 100)
	void drip() {
		this.traffic.drip();
	}

}
