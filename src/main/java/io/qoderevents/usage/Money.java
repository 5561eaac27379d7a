package io.qoderevents.usage;

import java.math.BigDecimal;

/**
 * Amounts as the API shows them: exact, without trailing zeros, never in exponent form.
 */
final class Money {

	private Money() {
	}

	/**
	 * The amount without trailing zeros ({@code 16.4940} is {@code 16.494}, zero is 0).
	 */
	static BigDecimal trimmed(BigDecimal amount) {
		if (amount == null) {
			return null;
		}
		if (amount.signum() == 0) {
			return BigDecimal.ZERO;
		}
		BigDecimal stripped = amount.stripTrailingZeros();
		return (stripped.scale() < 0) ? stripped.setScale(0) : stripped;
	}

}
