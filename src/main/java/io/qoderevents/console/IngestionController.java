package io.qoderevents.console;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.qoderevents.config.QoderProperties;
import io.qoderevents.tracking.TrackingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Ingestion", description = "How ingestion keeps up with the upstream")
@RestController
class IngestionController {

	private final TrackingService tracking;

	private final JdbcIngestionRepository repository;

	private final UpstreamRates rates;

	private final Duration allowedUnread;

	private final Clock clock;

	IngestionController(TrackingService tracking, JdbcIngestionRepository repository, UpstreamRates rates,
			QoderProperties properties, Clock clock) {
		this.tracking = tracking;
		this.repository = repository;
		this.rates = rates;
		this.allowedUnread = properties.ingest().idlePollInterval().plus(properties.ingest().pollInterval());
		this.clock = clock;
	}

	@Operation(operationId = "getIngestion", summary = "How ingestion keeps up",
			description = "Sessions unread longer than the schedule allows (the idle poll interval plus one poll"
					+ " interval), sessions past their poll time, how far behind the most overdue one is, the last"
					+ " full sweep of the upstream's session list, and, on the instance that answers, upstream"
					+ " requests per second by purpose and the live streams open.")
	@GetMapping(path = "/api/v1/ingestion", produces = "application/json")
	IngestionReport ingestion() {
		Map<String, Long> byState = new LinkedHashMap<>();
		this.tracking.countByState().forEach((state, count) -> byState.put(state.value(), count));
		return new IngestionReport(this.clock.instant(), this.tracking.ingestionBehind().toMillis() / 1000.0,
				this.repository.overdue(), this.repository.unreadLongerThan(this.allowedUnread),
				this.allowedUnread.toSeconds(), byState, this.repository.sweep().orElse(null), this.rates.rates(),
				this.rates.liveStreamsOpen());
	}

}
