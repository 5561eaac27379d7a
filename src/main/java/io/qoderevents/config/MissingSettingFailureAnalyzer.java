package io.qoderevents.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link MissingSettingException} into Spring Boot's "APPLICATION FAILED TO
 * START" report: what is wrong, what to set.
 */
class MissingSettingFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
