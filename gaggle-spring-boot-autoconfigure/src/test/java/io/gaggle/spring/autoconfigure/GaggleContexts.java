package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.gaggle.Gaggle;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Helpers for tests that run several Spring Boot applications, each with an auto-configured
 * {@link Gaggle} node, in one cluster.
 */
final class GaggleContexts {

    private GaggleContexts() {
    }

    /** The node the application {@code context} runs. */
    static Gaggle node(ConfigurableApplicationContext context) {
        return context.getBean(Gaggle.class);
    }

    /** Waits, at most {@code timeout}, until exactly one of the applications' nodes leads, and returns it. */
    static Gaggle awaitLeader(List<ConfigurableApplicationContext> contexts, Duration timeout) {
        return await().atMost(timeout).until(() -> contexts.stream()
            .map(GaggleContexts::node)
            .filter(Gaggle::isLeader)
            .toList(), (leaders) -> leaders.size() == 1).get(0);
    }

    /** The application, among {@code contexts}, that runs {@code node}. */
    static ConfigurableApplicationContext contextOf(List<ConfigurableApplicationContext> contexts, Gaggle node) {
        return contexts.stream().filter((context) -> node(context) == node).findFirst().orElseThrow();
    }
}
