package io.qoderevents.pricing;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.qoderevents.Api;
import io.qoderevents.Api.Response;
import io.qoderevents.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@TestPropertySource(properties = { "qoder.api.auth.enabled=true", "qoder.api.auth.keys[0].name=dashboards",
		"qoder.api.auth.keys[0].value=" + PriceApiTests.READ_KEY, "qoder.api.auth.keys[0].role=read",
		"qoder.api.auth.keys[1].name=ops", "qoder.api.auth.keys[1].value=" + PriceApiTests.ADMIN_KEY,
		"qoder.api.auth.keys[1].role=admin", "qoder.pricing.currency=EUR",
		"qoder.pricing.credits[0].from=2026-01-01T00:00:00Z", "qoder.pricing.credits[0].price=0.04",
		"qoder.pricing.tokens[0].model=ultimate", "qoder.pricing.tokens[0].from=2026-01-01T00:00:00Z",
		"qoder.pricing.tokens[0].input=3.00", "qoder.pricing.tokens[0].output=15.00",
		"qoder.pricing.tokens[0].cache-read=0.30", "qoder.pricing.tokens[0].cache-creation=3.75" })
class PriceApiTests extends IntegrationTest {

	static final String READ_KEY = "price-read-key";

	static final String ADMIN_KEY = "price-admin-key";

	/** Reads numbers as they were written: 3.00 stays 3.00. */
	private static final JsonMapper EXACT = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	@Autowired
	private PriceSeeding seeding;

	@BeforeEach
	void seededPricesOnly() {
		this.jdbc.sql("delete from price").update();
		this.seeding.seed();
	}

	@AfterEach
	void noPricesForOtherTests() {
		this.jdbc.sql("delete from price").update();
	}

	@Test
	void listWhenSettingsSeededThenEveryPriceWithItsAmountsAndSource() {
		JsonNode list = json(get(READ_KEY));
		assertThat(list.get("currency").asString()).isEqualTo("EUR");
		assertThat(list.get("next_cursor").isNull()).isTrue();
		JsonNode credit = list.get("data").get(0);
		assertThat(credit.propertyNames()).containsExactly("kind", "model", "from", "price", "source");
		assertThat(credit.get("kind").asString()).isEqualTo("credit");
		assertThat(credit.get("model").isNull()).isTrue();
		assertThat(credit.get("from").asString()).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(credit.get("price").decimalValue()).hasToString("0.04");
		assertThat(credit.get("source").asString()).isEqualTo("settings");
		JsonNode tokens = list.get("data").get(1);
		assertThat(tokens.propertyNames()).containsExactly("kind", "model", "from", "input", "output", "cache_read",
				"cache_creation", "source");
		assertThat(tokens.get("model").asString()).isEqualTo("ultimate");
		assertThat(List.of(tokens.get("input").decimalValue(), tokens.get("output").decimalValue(),
				tokens.get("cache_read").decimalValue(), tokens.get("cache_creation").decimalValue()))
			.map(Object::toString)
			.containsExactly("3.00", "15.00", "0.30", "3.75");
		assertThat(list.get("data")).hasSize(2);
	}

	@Test
	void addWhenFromInThePastThen201AndItsPeriodEndsAtTheNextPrice() {
		Response added = post(ADMIN_KEY, """
				{"kind": "credit", "from": "2025-06-01T02:15:00+02:00", "price": 0.0350}""");
		assertThat(added.status()).as(added.body()).isEqualTo(201);
		JsonNode price = EXACT.readTree(added.body());
		assertThat(price.get("from").asString()).isEqualTo("2025-06-01T00:15:00Z");
		assertThat(price.get("price").decimalValue()).hasToString("0.0350");
		assertThat(price.get("source").asString()).isEqualTo("api");
		Response tokens = post(ADMIN_KEY, """
				{"kind": "tokens", "model": "lite", "from": "2026-02-01T00:45:00Z",
				 "input": 0.25, "output": 1.25, "cache_read": 0, "cache_creation": 0.3}""");
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(201);
		JsonNode list = json(get(READ_KEY));
		assertThat(list.get("data")
			.valueStream()
			.map((row) -> row.get("kind").asString() + " " + text(row.get("model")) + " " + row.get("from").asString()
					+ " " + row.get("source").asString()))
			.containsExactly("credit null 2025-06-01T00:15:00Z api", "credit null 2026-01-01T00:00:00Z settings",
					"tokens lite 2026-02-01T00:45:00Z api", "tokens ultimate 2026-01-01T00:00:00Z settings");
		List<Map<String, Object>> periods = this.jdbc
			.sql("select kind, model, valid_from, valid_until from price_period order by kind, model, valid_from")
			.query()
			.listOfRows();
		assertThat(periods)
			.extracting((row) -> row.get("kind") + " " + row.get("model") + " " + instant(row.get("valid_from")) + " "
					+ instant(row.get("valid_until")))
			.containsExactly("credit null 2025-06-01T00:15:00Z 2026-01-01T00:00:00Z",
					"credit null 2026-01-01T00:00:00Z null", "tokens lite 2026-02-01T00:45:00Z null",
					"tokens ultimate 2026-01-01T00:00:00Z null");
	}

	@Test
	void addWhenSameKindModelAndFromExistsThen409AndThePriceKept() {
		Response duplicate = post(ADMIN_KEY, """
				{"kind": "credit", "from": "2026-01-01T00:00:00Z", "price": 0.05}""");
		assertThat(duplicate.status()).as(duplicate.body()).isEqualTo(409);
		assertThat(duplicate.contentType()).startsWith("application/problem+json");
		assertThat(Api.JSON.readTree(duplicate.body()).get("detail").asString())
			.startsWith("A credit price from 2026-01-01T00:00:00Z exists");
		Response otherModel = post(ADMIN_KEY, """
				{"kind": "tokens", "model": "ultimate", "from": "2026-01-01T00:00:00Z",
				 "input": 1, "output": 1, "cache_read": 1, "cache_creation": 1}""");
		assertThat(otherModel.status()).isEqualTo(409);
		assertThat(count("select count(*) from price where source = 'api'")).isZero();
		assertThat(count("select count(*) from price where kind = 'credit' and price = 0.04")).isEqualTo(1);
	}

	@Test
	void addWhenBodyInvalidThen400NamingTheField() {
		Map<String, String> invalid = Map.ofEntries(Map.entry("""
				{"kind": "gold", "from": "2026-01-01T00:15:00Z", "price": 1}""", "kind"), Map.entry("""
				{"from": "2026-01-01T00:15:00Z", "price": 1}""", "kind"), Map.entry("""
				{"kind": "credit", "from": "2026-01-01T00:15:00Z"}""", "price"), Map.entry("""
				{"kind": "credit", "from": "2026-01-01T00:15:00Z", "price": -0.01}""", "price"), Map.entry("""
				{"kind": "credit", "from": "2026-01-01T00:15:00Z", "price": 1e-30}""", "price"), Map.entry("""
				{"kind": "credit", "from": "2026-01-01T00:10:00Z", "price": 1}""", "from"), Map.entry("""
				{"kind": "credit", "from": "2026-01-01T00:15:00.5Z", "price": 1}""", "from"), Map.entry("""
				{"kind": "credit", "from": "yesterday", "price": 1}""", "from"), Map.entry("""
				{"kind": "credit", "price": 1}""", "from"), Map.entry("""
				{"kind": "credit", "model": "ultimate", "from": "2026-01-01T00:15:00Z", "price": 1}""", "model"),
				Map.entry("""
						{"kind": "tokens", "from": "2026-01-01T00:15:00Z", "input": 1, "output": 1,
						 "cache_read": 1, "cache_creation": 1}""", "model"), Map.entry("""
						{"kind": "tokens", "model": "lite", "from": "2026-01-01T00:15:00Z", "input": 1, "output": 1,
						 "cache_creation": 1}""", "cache_read"), Map.entry("""
						{"kind": "tokens", "model": "lite", "from": "2026-01-01T00:15:00Z", "input": 1, "output": -2,
						 "cache_read": 1, "cache_creation": 1}""", "output"), Map.entry("""
						{"kind": "tokens", "model": "lite", "from": "2026-01-01T00:15:00Z", "price": 1, "input": 1,
						 "output": 1, "cache_read": 1, "cache_creation": 1}""", "price"));
		invalid.forEach((body, field) -> Api.assertInvalid(post(ADMIN_KEY, body), field));
		assertThat(count("select count(*) from price where source = 'api'")).isZero();
	}

	@Test
	void pricesWhenReadKeyThenListedButNotAddedAndWithoutKeyNeither() {
		String body = """
				{"kind": "credit", "from": "2026-05-01T00:00:00Z", "price": 0.05}""";
		assertThat(get(READ_KEY).status()).isEqualTo(200);
		Response readOnly = post(READ_KEY, body);
		assertThat(readOnly.status()).isEqualTo(403);
		assertThat(readOnly.contentType()).startsWith("application/problem+json");
		assertThat(this.api.getRaw("/api/v1/prices").status()).isEqualTo(401);
		assertThat(this.api.post("/api/v1/prices", body, "Content-Type", "application/json").status()).isEqualTo(401);
		assertThat(count("select count(*) from price where source = 'api'")).isZero();
		assertThat(get(ADMIN_KEY).status()).isEqualTo(200);
		assertThat(post(ADMIN_KEY, body).status()).isEqualTo(201);
	}

	@Test
	void seedWhenRunAgainOrByTwoReplicasAtOnceThenRowsUnchanged() throws Exception {
		String rows = "select * from price order by id";
		List<Map<String, Object>> before = this.jdbc.sql(rows).query().listOfRows();
		assertThat(before).hasSize(2);
		assertThat(this.seeding.seed()).isZero();
		assertThat(twoAtOnce(this.seeding::seed)).containsExactly(0, 0);
		assertThat(this.jdbc.sql(rows).query().listOfRows()).isEqualTo(before);
		this.jdbc.sql("update price set price = 9 where kind = 'credit'").update();
		assertThat(this.seeding.seed()).isEqualTo(1);
		assertThat(this.jdbc.sql(rows).query().listOfRows()).isEqualTo(before);
	}

	@Test
	void priceTableWhenFromOffTheQuarterHourThenRefused() {
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> this.jdbc.sql("""
				insert into price (kind, valid_from, price, source, created_at)
				values ('credit', '2026-01-01T00:14:59Z', 1, 'api', now())""").update());
	}

	@Test
	void apiDocsWhenRequestedThenAddingDocuments201WithThePriceAnd409Problem() {
		JsonNode add = Api.json(this.api.getRaw("/v3/api-docs"))
			.get("paths")
			.get("/api/v1/prices")
			.get("post")
			.get("responses");
		assertThat(add.get("201").get("content").get("application/json").get("schema").get("$ref").asString())
			.endsWith("/Price");
		assertThat(add.get("409").get("content").get("application/problem+json").get("schema").get("$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(add.has("200")).isFalse();
	}

	private Response get(String key) {
		return this.api.getRaw("/api/v1/prices", "Authorization", "Bearer " + key);
	}

	private Response post(String key, String body) {
		return this.api.post("/api/v1/prices", body, "Authorization", "Bearer " + key, "Content-Type",
				"application/json");
	}

	private static JsonNode json(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return EXACT.readTree(response.body());
	}

	private static Instant instant(Object value) {
		return (value instanceof Timestamp timestamp) ? timestamp.toInstant()
				: (value != null) ? ((OffsetDateTime) value).toInstant() : null;
	}

	private static String text(JsonNode node) {
		return node.isNull() ? "null" : node.asString();
	}

}
