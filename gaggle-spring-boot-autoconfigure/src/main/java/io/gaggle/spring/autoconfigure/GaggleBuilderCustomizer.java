package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;

/**
 * Customizes the {@link Gaggle.Builder} of the auto-configured node after the {@code gaggle.*}
 * properties are applied and before the node is built, e.g. to register an RPC handler written
 * as a lambda. Customizers run in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface GaggleBuilderCustomizer {

    /**
     * @param builder the builder of the node, with the properties applied
     */
    void customize(Gaggle.Builder builder);
}
