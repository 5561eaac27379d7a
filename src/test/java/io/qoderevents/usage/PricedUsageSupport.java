package io.qoderevents.usage;

import java.util.List;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import io.qoderevents.TestEvents;
import io.qoderevents.TodayEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

/**
 * Usage reports with prices and keys: the settings of {@code PriceApiTests} (so both
 * share one context), every price deleted before and after each test, each test adding
 * its own.
 */
@TestPropertySource(properties = { "qoder.api.auth.enabled=true", "qoder.api.auth.keys[0].name=dashboards",
		"qoder.api.auth.keys[0].value=" + PricedUsageSupport.READ_KEY, "qoder.api.auth.keys[0].role=read",
		"qoder.api.auth.keys[1].name=ops", "qoder.api.auth.keys[1].value=" + PricedUsageSupport.ADMIN_KEY,
		"qoder.api.auth.keys[1].role=admin", "qoder.pricing.currency=EUR",
		"qoder.pricing.credits[0].from=2026-01-01T00:00:00Z", "qoder.pricing.credits[0].price=0.04",
		"qoder.pricing.tokens[0].model=ultimate", "qoder.pricing.tokens[0].from=2026-01-01T00:00:00Z",
		"qoder.pricing.tokens[0].input=3.00", "qoder.pricing.tokens[0].output=15.00",
		"qoder.pricing.tokens[0].cache-read=0.30", "qoder.pricing.tokens[0].cache-creation=3.75" })
abstract class PricedUsageSupport extends IntegrationTest {

	static final String READ_KEY = "price-read-key";

	static final String ADMIN_KEY = "price-admin-key";

	/** Reads numbers as they were written: 0.30 stays 0.30. */
	static final JsonMapper EXACT = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	@BeforeEach
	@AfterEach
	void noPrices() {
		this.jdbc.sql("delete from price").update();
	}

	void creditPrice(String from, String price) {
		this.jdbc
			.sql("insert into price (kind, valid_from, price, source, created_at) "
					+ "values ('credit', cast(? as timestamptz), cast(? as numeric), 'api', now())")
			.params(from, price)
			.update();
	}

	/**
	 * A tokens price of the model: input 3, output 15, cache read 0.30, cache creation
	 * 3.75.
	 */
	void tokensPrice(String model, String from) {
		this.jdbc
			.sql("insert into price (kind, model, valid_from, input, output, cache_read, cache_creation, source, "
					+ "created_at) values ('tokens', ?, cast(? as timestamptz), 3.00, 15.00, 0.30, 3.75, 'api', now())")
			.params(model, from)
			.update();
	}

	/**
	 * The session's snapshot as the upstream would have said it: its model and
	 * attribution ({@code metadata} JSON or null).
	 */
	void snapshot(String session, String model, String agentId, String environmentId, String metadata) {
		this.jdbc.sql("""
				insert into session_snapshot (session_id, model, agent_id, environment_id, metadata)
				values (?, ?, ?, ?, cast(? as jsonb))
				on conflict (session_id) do update set model = excluded.model, agent_id = excluded.agent_id,
				    environment_id = excluded.environment_id, metadata = excluded.metadata""")
			.params(session, model, agentId, environmentId, metadata)
			.update();
	}

	/**
	 * A session of today's shape: one turn with a model call of these credits at each
	 * time.
	 */
	String creditsSession(String... creditsAt) {
		String session = TestEvents.sessionId();
		List<String> events = new java.util.ArrayList<>();
		events.add(TodayEvents.userMessage(TestEvents.eventId(), creditsAt[1]));
		for (int i = 0; i < creditsAt.length; i += 2) {
			String start = TestEvents.eventId();
			events.add(TodayEvents.spanStart(start, creditsAt[i + 1]));
			events.add(TodayEvents.spanEnd(TestEvents.eventId(), start, creditsAt[i + 1],
					TodayEvents.credits(creditsAt[i])));
		}
		events.add(TodayEvents.idle(TestEvents.eventId(), creditsAt[creditsAt.length - 1], TodayEvents.endTurn()));
		ingest(session, events);
		return session;
	}

	/**
	 * A session of the primary shape: one turn of 1000 input, 200 output, 10000 cache
	 * read and 400 cache creation tokens at the time (0.0105 at the tokens price above).
	 */
	String tokensSession(String at) {
		String session = TestEvents.sessionId();
		ingest(session, List
			.of(TestEvents.idle(session, TestEvents.eventId(), TestEvents.turnId(), at, 1000, 200, 10000, 400)));
		return session;
	}

	Response get(String uri) {
		return this.api.getRaw(uri, "Authorization", "Bearer " + READ_KEY);
	}

	JsonNode json(String uri) {
		Response response = get(uri);
		Api.json(response);
		return EXACT.readTree(response.body());
	}

	static String decimal(JsonNode node) {
		return node.isNull() ? null : node.decimalValue().toPlainString();
	}

}
