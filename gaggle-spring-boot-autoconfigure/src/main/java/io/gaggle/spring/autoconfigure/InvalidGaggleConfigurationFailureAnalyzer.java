package io.gaggle.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidGaggleConfigurationException} as what is wrong and what to do about it.
 */
class InvalidGaggleConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGaggleConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGaggleConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
