package io.gaggle.spring.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The application's Gaggle configuration cannot work: a {@code gaggle.*} property is missing or
 * wrong, or two {@link io.gaggle.spring.GaggleRpc @GaggleRpc} handlers share a name. It stops the
 * startup, and {@link InvalidGaggleConfigurationFailureAnalyzer} reports what is wrong and how to
 * fix it instead of a stack trace.
 */
public class InvalidGaggleConfigurationException extends RuntimeException {

    private final String action;

    /**
     * @param description what is wrong
     * @param action how to fix it
     */
    public InvalidGaggleConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    /** Reports every problem at once, so that one restart is enough to fix them all. */
    static InvalidGaggleConfigurationException of(List<Problem> problems) {
        String description = problems.stream()
            .map((problem) -> String.format("    Property: %s%n    Reason: %s", problem.property(), problem.reason()))
            .collect(Collectors.joining(String.format("%n%n"), String.format("Invalid Gaggle configuration:%n%n"), ""));
        String action = problems.stream().map(Problem::action).collect(Collectors.joining(String.format("%n")));
        return new InvalidGaggleConfigurationException(description, action);
    }

    /** How to fix the configuration. */
    public String getAction() {
        return this.action;
    }

    /**
     * One invalid property.
     *
     * @param property the property's name, e.g. {@code gaggle.cluster-size}
     * @param reason what is wrong with it
     * @param action how to fix it
     */
    record Problem(String property, String reason, String action) {
    }
}
