package io.qoderevents.upstream;

import java.time.Clock;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code upstream} in {@code /actuator/health}: DOWN while the upstream rejects the token
 * (401), with the request id to report; UNKNOWN until a request succeeds. Not part of the
 * liveness or readiness groups: a bad token needs an operator, not a restart.
 */
@Component("upstream")
class UpstreamHealthIndicator implements HealthIndicator {

	private final QoderClient client;

	private final Clock clock;

	UpstreamHealthIndicator(QoderClient client, Clock clock) {
		this.client = client;
		this.clock = clock;
	}

	@Override
	public Health health() {
		UpstreamFailure<?> failure = this.client.authorizationFailure();
		Instant pausedUntil = this.client.pausedUntil();
		Health.Builder health;
		if (failure != null) {
			health = Health.down()
				.withDetail("authorized", false)
				.withDetail("error", failure.errorType() + ": " + failure.message())
				.withDetail("request_id", String.valueOf(failure.requestId()));
		}
		else if (!this.client.hasSucceeded()) {
			health = Health.unknown().withDetail("reason", "no upstream request has succeeded yet");
		}
		else {
			health = Health.up().withDetail("authorized", true);
		}
		if (pausedUntil.isAfter(this.clock.instant())) {
			health.withDetail("paused_until", pausedUntil.toString());
		}
		return health.build();
	}

}
