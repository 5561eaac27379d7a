package io.qoderevents.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * @param webhooks the upstream's signed webhooks
 * @param pricing the currency and the effective-dated prices of credits and tokens
 * @param budgets spending limits, each over a scope of sessions and a calendar period
 */
@Validated
@ConfigurationProperties("qoder")
public record QoderProperties(@Valid @DefaultValue Upstream upstream, @Valid @DefaultValue Ingest ingest,
		@Valid @DefaultValue Api api, @Valid @DefaultValue Demo demo, @Valid @DefaultValue Webhooks webhooks,
		@Valid @DefaultValue Pricing pricing, @Valid @DefaultValue List<BudgetSetting> budgets) {

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
	 * @param liveTail the event streams of running sessions
	 * @param backlogShare the share of the claimed polls owed to the backlog of first
	 * reads and idle re-reads when sessions with evidence of activity (events stored on
	 * their last poll, a webhook, a stream, a listing) are also due, so that the backlog
	 * still finishes while a short budget goes to the active sessions first
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
			@NotNull @DefaultValue("15s") Duration metricsRefresh, @Valid @DefaultValue LiveTail liveTail,
			@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double backlogShare) {

		/**
		 * The live tail: running sessions are read from the upstream's event stream
		 * instead of being polled.
		 *
		 * @param enabled whether running sessions are streamed
		 * @param maxStreams most streams one instance holds open
		 * @param silenceTimeout a stream that sends nothing, not even a heartbeat, this
		 * long is closed and its session polled
		 * @param bufferWindow how long received events wait to be committed together
		 * @param bufferSize most events committed together
		 * @param cooldown how long a session whose stream failed is left to polling
		 * before it is streamed again
		 */
		public record LiveTail(@DefaultValue("true") boolean enabled, @Min(0) @DefaultValue("20") int maxStreams,
				@NotNull @DefaultValue("30s") Duration silenceTimeout,
				@NotNull @DefaultValue("200ms") Duration bufferWindow, @Min(1) @DefaultValue("100") int bufferSize,
				@NotNull @DefaultValue("10s") Duration cooldown) {
		}

	}

	/**
	 * The internal REST API.
	 *
	 * @param auth API key authentication of {@code /api/**}
	 * @param cors cross-origin calls of {@code /api/**} from browser dashboards
	 */
	public record Api(@Valid @DefaultValue Auth auth, @Valid @DefaultValue Cors cors) {

		/**
		 * Cross-origin resource sharing, off unless origins are listed.
		 *
		 * @param allowedOrigins origins ({@code https://grafana.example.com}) whose pages
		 * may call {@code /api/**} from a browser; none by default, which keeps CORS off
		 */
		public record Cors(@DefaultValue List<@NotBlank String> allowedOrigins) {
		}

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
		 * @param value the key in clear text, at least 32 characters outside the demo; or
		 * leave empty and set {@code sha256}
		 * @param sha256 lowercase hex SHA-256 of the key, for configuration that must not
		 * hold the key (its length cannot be checked: generate keys with
		 * {@code openssl rand -hex 32})
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
	 * @param webhookUrl where the simulator delivers a signed webhook (with
	 * {@code qoder.webhooks.secret}) when a demo session starts or finishes a run; none
	 * when empty
	 * @param turnPace how long a turn's events take to appear upstream, spread evenly (a
	 * running session streams them as they come); zero appends a turn at once
	 * @param streamLifetime the simulated upstream drops every event stream this long
	 * after it opened; zero never
	 */
	public record Demo(@DefaultValue("true") boolean generate, @Min(0) @DefaultValue("4") int sessions,
			@NotNull @DefaultValue("5s") Duration turnInterval, @DefaultValue("demo-token") String token,
			@Min(0) @DefaultValue("1") int primaryContractSessions, URI webhookUrl,
			@NotNull @DefaultValue("3s") Duration turnPace, @NotNull @DefaultValue("45s") Duration streamLifetime) {

		@Override
		public String toString() {
			return "Demo[generate=" + this.generate + ", sessions=" + this.sessions + "]";
		}

	}

	/**
	 * The upstream's webhooks ({@code POST /api/v1/webhooks/qoder}), Standard Webhooks
	 * signatures.
	 *
	 * @param secret the signing secret, {@code whsec_} and the base64 key; the endpoint
	 * is off without it; never logged or exposed
	 * @param previousSecret a second accepted secret while the upstream rotates to a new
	 * one; none when empty
	 * @param tolerance how far a delivery's {@code webhook-timestamp} may be from now
	 * @param maxBodySize largest webhook body accepted
	 * @param idRetention how long a delivered {@code webhook-id} is remembered, so that a
	 * retried delivery changes nothing
	 * @param cleanupInterval how often forgotten {@code webhook-id}s are deleted
	 */
	public record Webhooks(@DefaultValue("") String secret, @DefaultValue("") String previousSecret,
			@NotNull @DefaultValue("5m") Duration tolerance, @NotNull @DefaultValue("16KB") DataSize maxBodySize,
			@NotNull @DefaultValue("3d") Duration idRetention, @NotNull @DefaultValue("1h") Duration cleanupInterval) {

		/** Whether a secret is configured, which turns the endpoint on. */
		public boolean enabled() {
			return !this.secret.isBlank();
		}

		@Override
		public String toString() {
			return "Webhooks[enabled=" + enabled() + ", tolerance=" + this.tolerance + "]";
		}

	}

}
