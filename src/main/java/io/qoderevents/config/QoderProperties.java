package io.qoderevents.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the service, bound from the {@code qoder} prefix.
 *
 * @param upstream the Qoder Cloud Agents API
 * @param ingest the polling schedule and its failure handling
 * @param api the internal REST API
 * @param demo the built-in simulated upstream (active with the {@code demo} profile only)
 */
@Validated
@ConfigurationProperties("qoder")
public record QoderProperties(@Valid @DefaultValue Upstream upstream, @Valid @DefaultValue Ingest ingest,
		@Valid @DefaultValue Api api, @Valid @DefaultValue Demo demo) {

	/**
	 * The upstream API.
	 *
	 * @param baseUrl base URL of the Qoder Cloud Agents API
	 * @param token bearer token (personal access token or service-account JWT); never
	 * logged or exposed
	 * @param pageSize events per upstream request, 1 to 100
	 * @param connectTimeout TCP connect timeout
	 * @param readTimeout longest wait for a whole response; slower responses are
	 * abandoned and retried
	 * @param maxRequestsPerSecond client-wide cap on upstream requests (the vendor asks
	 * for fewer than 50/s)
	 * @param maxResponseSize largest response body accepted
	 * @param maxAttempts attempts of one request, the first included, before a transient
	 * failure (5xx, timeout, reset, malformed 200) fails the poll
	 * @param retryDelay delay before the first retry of a transient failure (doubled per
	 * retry, jittered)
	 * @param retryMaxDelay longest delay between two attempts
	 */
	public record Upstream(@NotNull @DefaultValue("https://openapi.qoder.sh/api/v1/cloud") URI baseUrl,
			@DefaultValue("") String token, @Min(1) @Max(100) @DefaultValue("100") int pageSize,
			@NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("30s") Duration readTimeout,
			@Positive @DefaultValue("10") double maxRequestsPerSecond,
			@NotNull @DefaultValue("64MB") DataSize maxResponseSize, @Min(1) @DefaultValue("3") int maxAttempts,
			@NotNull @DefaultValue("500ms") Duration retryDelay, @NotNull @DefaultValue("4s") Duration retryMaxDelay) {

		@Override
		public String toString() {
			return "Upstream[baseUrl=" + this.baseUrl + ", token=******, pageSize=" + this.pageSize + "]";
		}

	}

	/**
	 * Polling.
	 *
	 * @param enabled whether the scheduled poller and sweep run
	 * @param tick how often the poller looks for due sessions
	 * @param pollInterval how often a session is polled while it is running upstream or
	 * produced events recently
	 * @param idlePollInterval how often a quiet session is polled at least, once its
	 * interval has backed off step by step from {@code poll-interval}
	 * @param concurrency sessions polled at the same time by one instance
	 * @param claimBatch most sessions one instance claims at once
	 * @param lease how long a claimed session stays reserved to one instance without
	 * progress
	 * @param backoffInitial first retry delay after a failed poll (doubled per failure,
	 * with jitter)
	 * @param backoffMax longest retry delay after failed polls
	 * @param forbiddenBackoff retry delay for a session the token may not read (403)
	 * @param unauthorizedPause how long all polling pauses after the token is rejected
	 * (401)
	 * @param discovery track every session the account lists upstream (found by the
	 * sweep)
	 * @param sweepInterval how often the account's running sessions are listed, and every
	 * tracked session listed that changed since its last poll is made due
	 * @param fullSweepInterval how often the sweep lists every session, archived ones
	 * included, instead of the running ones only
	 * @param sweepMaxPages most pages of 100 sessions one sweep reads
	 * @param snapshotInterval the shortest time between two reads of a session's own
	 * snapshot ({@code GET /sessions/{id}}), read when events were stored since the last
	 * read (by a poll or a sweep) and once more when the session completes
	 * @param metricsRefresh how often the session gauges are read from the database
	 */
	public record Ingest(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("1s") Duration tick,
			@NotNull @DefaultValue("5s") Duration pollInterval, @NotNull @DefaultValue("1h") Duration idlePollInterval,
			@Min(1) @Max(256) @DefaultValue("32") int concurrency, @Min(1) @DefaultValue("64") int claimBatch,
			@NotNull @DefaultValue("2m") Duration lease, @NotNull @DefaultValue("10s") Duration backoffInitial,
			@NotNull @DefaultValue("15m") Duration backoffMax, @NotNull @DefaultValue("1h") Duration forbiddenBackoff,
			@NotNull @DefaultValue("5m") Duration unauthorizedPause, @DefaultValue("false") boolean discovery,
			@NotNull @DefaultValue("30s") Duration sweepInterval,
			@NotNull @DefaultValue("5m") Duration fullSweepInterval, @Min(1) @DefaultValue("100") int sweepMaxPages,
			@NotNull @DefaultValue("1m") Duration snapshotInterval,
			@NotNull @DefaultValue("15s") Duration metricsRefresh) {
	}

	/**
	 * The internal REST API.
	 *
	 * @param auth API key authentication of {@code /api/**}
	 */
	public record Api(@Valid @DefaultValue Auth auth) {

		/**
		 * API keys.
		 *
		 * @param enabled require an API key on {@code /api/**}
		 * @param keys accepted keys with their roles
		 */
		public record Auth(@DefaultValue("true") boolean enabled, @Valid @DefaultValue List<ApiKey> keys) {
		}

		/**
		 * One API key.
		 *
		 * @param name label used in logs, never the key itself
		 * @param value the key in clear text; or leave empty and set {@code sha256}
		 * @param sha256 lowercase hex SHA-256 of the key, for configuration that must not
		 * hold the key
		 * @param role {@code read} (GET endpoints) or {@code admin} (everything)
		 */
		public record ApiKey(@NotBlank String name, String value, String sha256,
				@NotNull @DefaultValue("read") Role role) {

			@Override
			public String toString() {
				return "ApiKey[name=" + this.name + ", role=" + this.role + "]";
			}

		}

		/** What a key may do. */
		public enum Role {

			/** GET endpoints. */
			READ,
			/** Everything, including tracked-session changes and sync. */
			ADMIN

		}

	}

	/**
	 * The simulated upstream of the {@code demo} profile.
	 *
	 * @param generate keep producing new turns in the demo sessions
	 * @param sessions how many demo sessions to simulate and track
	 * @param turnInterval how often each demo session produces a turn
	 * @param token bearer token the simulator accepts
	 * @param primaryContractSessions how many of the demo sessions (the first ones) speak
	 * the primary contract's shape (turn ids, tokens); the others speak today's (credits,
	 * turns without ids)
	 */
	public record Demo(@DefaultValue("true") boolean generate, @Min(0) @DefaultValue("4") int sessions,
			@NotNull @DefaultValue("5s") Duration turnInterval, @DefaultValue("demo-token") String token,
			@Min(0) @DefaultValue("1") int primaryContractSessions) {

		@Override
		public String toString() {
			return "Demo[generate=" + this.generate + ", sessions=" + this.sessions + "]";
		}

	}

}
