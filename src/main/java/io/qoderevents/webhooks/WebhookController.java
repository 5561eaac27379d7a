package io.qoderevents.webhooks;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/webhooks/qoder}: authenticated by its signature, not an API key.
 * Every verified delivery gets the same answer, so a caller learns nothing of what is
 * tracked.
 */
@Tag(name = "Webhooks", description = "Signed webhooks from the Qoder API")
@RestController
@Conditional(WebhooksEnabled.class)
class WebhookController {

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@Operation(summary = "Receive an upstream webhook",
			description = "Standard Webhooks: webhook-signature is v1,<base64 HMAC-SHA256> over"
					+ " {webhook-id}.{webhook-timestamp}.{raw body} with the key of qoder.webhooks.secret (whsec_…),"
					+ " several space-separated signatures allowed. A session event makes that tracked session due"
					+ " at once; it is polled after the answer. A repeated webhook-id, an unknown type or a session"
					+ " that is not tracked get the same 202 and change nothing. Absent (404) without a secret.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = WebhookBody.class))),
			responses = { @ApiResponse(responseCode = "202", description = "Verified; nothing else is said"),
					@ApiResponse(responseCode = "400", description = "A signed body that is not a JSON object",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "401",
							description = "Missing or malformed headers, no matching signature, or a timestamp more"
									+ " than qoder.webhooks.tolerance away",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "413", description = "A body over qoder.webhooks.max-body-size",
							content = @Content(mediaType = "application/problem+json")) })
	@SecurityRequirements
	@PostMapping("/api/v1/webhooks/qoder")
	ResponseEntity<Void> receive(
			@Parameter(in = ParameterIn.HEADER, description = "The delivery's id (whe_…), stable across retries",
					required = true) @RequestHeader(name = "webhook-id", required = false) String id,
			@Parameter(in = ParameterIn.HEADER, description = "Unix seconds",
					required = true) @RequestHeader(name = "webhook-timestamp", required = false) String timestamp,
			@Parameter(in = ParameterIn.HEADER, description = "v1,<base64 HMAC-SHA256>, space-separated",
					required = true) @RequestHeader(name = "webhook-signature", required = false) String signature,
			@Parameter(in = ParameterIn.HEADER,
					description = "e.g. session.status_idled, session.created") @RequestHeader(
							name = "webhook-event-type", required = false) String eventType,
			HttpServletRequest request) throws IOException {
		this.webhooks.receive(new WebhookService.Delivery(id, timestamp, signature, eventType),
				request.getInputStream(), request.getContentLengthLong());
		return ResponseEntity.accepted().build();
	}

}
