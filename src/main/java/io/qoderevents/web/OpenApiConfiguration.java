package io.qoderevents.web;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The description served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String PROBLEM = "Problem";

	/**
	 * swagger-core describes schemas with its own Jackson 2 mapper: give it the API's
	 * snake_case names.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json31.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
			.openapi31(true);
	}

	@Bean
	OpenAPI qoderEventsOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI()
			.info(new Info().title("qoder-events API")
				.version((properties != null) ? properties.getVersion() : "dev")
				.description("Qoder Cloud Agents session events, stored and added up: event queries and exports,"
						+ " token usage rollups, error reports, and the sessions being ingested. Errors are RFC 9457"
						+ " application/problem+json."))
			.components(new Components().addSecuritySchemes("apiKey",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").description("An API key")))
			.addSecurityItem(new SecurityRequirement().addList("apiKey"));
	}

	/**
	 * Every operation's problem responses: 400 (parameters are checked everywhere,
	 * unknown ones refused), 401, 403 on changes, 404 where a session is named, 406, and
	 * 413 and 415 where a body is read. An operation without an API key keeps its own.
	 */
	@Bean
	OpenApiCustomizer problemResponses() {
		return (openApi) -> {
			openApi.getComponents().getSchemas().remove("ProblemDetail");
			openApi.getComponents().addSchemas(PROBLEM, problemSchema());
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				ApiResponses responses = operation.getResponses();
				if (operation.getSecurity() != null && operation.getSecurity().isEmpty()) {
					// no API key (the webhook): its own problem responses, in the one
					// schema
					responses.forEach((status, response) -> {
						if (status.startsWith("4")) {
							problem(responses, status, response.getDescription());
						}
					});
					return;
				}
				problem(responses, "400", "Invalid or unknown parameters, or an invalid body; errors names each field");
				problem(responses, "401", "Missing or wrong API key");
				if (method != PathItem.HttpMethod.GET) {
					problem(responses, "403", "The API key may only read");
				}
				if (path.contains("{session_id}")) {
					problem(responses, "404", "The session is neither tracked nor has events");
				}
				if (method == PathItem.HttpMethod.GET) {
					problem(responses, "406", "Accept names no type this endpoint serves");
				}
				if (operation.getRequestBody() != null) {
					problem(responses, "413", "The body is larger than 64 KB or has no Content-Length");
					problem(responses, "415", "The body is not application/json");
				}
			}));
		};
	}

	private static void problem(ApiResponses responses, String status, String description) {
		responses.addApiResponse(status,
				new ApiResponse().description(description)
					.content(new Content().addMediaType("application/problem+json",
							new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
	}

	/** The RFC 9457 body every error of this API has. */
	private static Schema<?> problemSchema() {
		Schema<?> error = typed("object").addProperty("field", typed("string").description("The parameter or field"))
			.addProperty("message", typed("string").description("What is wrong with it"));
		return typed("object").description("An RFC 9457 problem")
			.addProperty("type", typed("string").format("uri").description("Stable URI of the kind of problem"))
			.addProperty("title", typed("string").description("The HTTP status' reason phrase"))
			.addProperty("status", typed("integer").description("The HTTP status"))
			.addProperty("detail", typed("string").description("What went wrong, for a human"))
			.addProperty("instance", typed("string").format("uri").description("The request path, when known"))
			.addProperty("errors", typed("array").items(error).description("On 400: each invalid parameter or field"))
			.addProperty("accepted_parameters",
					typed("array").items(typed("string"))
						.description("On 400 for an unknown query parameter: the parameters the endpoint accepts"))
			.required(List.of("type", "title", "status"));
	}

	private static Schema<Object> typed(String type) {
		Schema<Object> schema = new Schema<>();
		schema.type(type);
		schema.addType(type);
		return schema;
	}

}
