package io.gaggle.spring.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Makes the context's node a single-node memory cluster, as {@link AutoConfigureGaggle} says. The
 * hub's name is drawn when the context is created, not when the test class is read, so that two
 * contexts never share a hub, while the test framework's context cache still reuses one context
 * for every test class with the same configuration (all instances are equal).
 */
final class SingleNodeClusterContextCustomizer implements ContextCustomizer {

    private static final String PROPERTY_SOURCE_NAME = "gaggleSingleNodeCluster";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("gaggle.channel.name", "memory");
        properties.put("gaggle.channel.memory.name", "gaggle-test-" + UUID.randomUUID());
        properties.put("gaggle.cluster-size", "1");
        if (!environment.containsProperty("gaggle.id")) {
            // The members list must name the node, so its id must be known here.
            properties.put("gaggle.id", UUID.randomUUID().toString());
        }
        // Overrides an application's fixed membership, which would name nodes that never start here.
        properties.put("gaggle.members", "${gaggle.id}");
        // Empty binds as no directory: the term, vote and log stay in memory, as a test wants.
        properties.put("gaggle.storage.directory", "");
        // A relay has no part on the memory channel, and its fixed port would clash between contexts.
        properties.put("gaggle.socket-io-server.enabled", "false");
        // Test properties, which the test framework added first, stay above this source.
        environment.getPropertySources().addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
