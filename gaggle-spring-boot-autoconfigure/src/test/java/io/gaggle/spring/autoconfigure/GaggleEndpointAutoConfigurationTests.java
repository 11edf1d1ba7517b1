package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.gaggle.Gaggle;
import io.gaggle.Role;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleEndpointAutoConfiguration}.
 */
class GaggleEndpointAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(EndpointAutoConfiguration.class,
            GaggleAutoConfiguration.class, GaggleEndpointAutoConfiguration.class);

    private static final String[] SINGLE_NODE = { "gaggle.cluster-size=1", "gaggle.channel.name=memory" };

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues(SINGLE_NODE)
        .withPropertyValues("gaggle.channel.memory.name=" + UUID.randomUUID());

    private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues(SINGLE_NODE)
        .withPropertyValues("gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void endpointIsAbsentUntilExposed() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(GaggleEndpoint.class));
    }

    @Test
    void exposedEndpointShowsTheNodesStatusAndPeers() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=gaggle").run((context) -> {
            GaggleEndpoint endpoint = context.getBean(GaggleEndpoint.class);
            Gaggle node = context.getBean(Gaggle.class);
            await().atMost(Duration.ofSeconds(10)).until(node::isLeader);
            GaggleEndpoint.NodeDescriptor descriptor = endpoint.node();
            assertThat(descriptor.status().id()).isEqualTo(node.getId());
            assertThat(descriptor.status().role()).isEqualTo(Role.LEADER);
            assertThat(descriptor.peers()).isEmpty();
        });
    }

    @Test
    void endpointWhoseAccessIsNoneIsAbsent() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=gaggle",
                    "management.endpoint.gaggle.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleEndpoint.class));
    }

    @Test
    void endpointNeedsTheActuator() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=gaggle")
            .withClassLoader(new FilteredClassLoader(Endpoint.class))
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleEndpoint.class));
    }

    @Test
    void endpointBacksOffForAnApplicationsOwn() {
        GaggleEndpoint own = new GaggleEndpoint(null, Duration.ofSeconds(1));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=gaggle")
            .withBean(GaggleEndpoint.class, () -> own)
            .run((context) -> assertThat(context).getBean(GaggleEndpoint.class).isSameAs(own));
    }

    @Test
    void webExtensionIsAddedWhenTheEndpointIsExposedOverTheWeb() {
        this.webContextRunner.withPropertyValues("management.endpoints.web.exposure.include=gaggle")
            .run((context) -> assertThat(context).hasSingleBean(GaggleEndpointWebExtension.class));
    }

    @Test
    void webExtensionIsAbsentWhenTheEndpointIsExposedOverJmxOnly() {
        this.contextRunner
            .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=gaggle")
            .run((context) -> assertThat(context).hasSingleBean(GaggleEndpoint.class)
                .doesNotHaveBean(GaggleEndpointWebExtension.class));
    }

    @Test
    void transferOnASingleNodeClusterFailsWithAClearError() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=gaggle").run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            await().atMost(Duration.ofSeconds(10)).until(node::isLeader);
            GaggleEndpoint.LeadershipTransferDescriptor outcome = context.getBean(GaggleEndpoint.class)
                .transferLeadership(null);
            assertThat(outcome.transferred()).isFalse();
            assertThat(outcome.leaderId()).isNull();
            assertThat(outcome.error()).isEqualTo("no live follower to transfer leadership to");
        });
    }
}
