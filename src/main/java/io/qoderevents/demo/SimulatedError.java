package io.qoderevents.demo;

/** An error answer of the simulator, rendered in the vendor's error envelope. */
class SimulatedError extends RuntimeException {

	private final int status;

	private final String type;

	private final String param;

	SimulatedError(int status, String type, String message, String param) {
		super(message, null, false, false);
		this.status = status;
		this.type = type;
		this.param = param;
	}

	static SimulatedError invalid(String param, String message) {
		return new SimulatedError(400, "invalid_request_error", message, param);
	}

	int status() {
		return this.status;
	}

	String body(String requestId) {
		var error = Json.object().put("type", this.type).put("message", getMessage());
		if (this.param != null) {
			error.put("param", this.param);
		}
		var body = Json.object().put("type", "error").put("request_id", requestId);
		body.set("error", error);
		return Json.write(body);
	}

}
