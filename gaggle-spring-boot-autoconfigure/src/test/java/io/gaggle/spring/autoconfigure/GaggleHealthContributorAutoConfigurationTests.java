package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.gaggle.Gaggle;
import io.gaggle.Role;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleHealthContributorAutoConfiguration}.
 */
class GaggleHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(GaggleAutoConfiguration.class, GaggleHealthContributorAutoConfiguration.class))
        .withPropertyValues("gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void healthIndicatorIsUpAndShowsTheRoleOnceALeaderIsKnown() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasBean("gaggleHealthIndicator");
            GaggleHealthIndicator indicator = context.getBean(GaggleHealthIndicator.class);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
            Gaggle node = context.getBean(Gaggle.class);
            assertThat(indicator.health().getDetails()).containsEntry("role", Role.LEADER)
                .containsEntry("leaderId", node.getId())
                .containsEntry("clusterSize", 1)
                .containsKeys("term", "commitIndex", "lastLogIndex", "channel", "channelState");
        });
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        this.contextRunner.withPropertyValues("management.health.gaggle.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleHealthIndicator.class));
    }

    @Test
    void healthIndicatorNeedsSpringBootHealth() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleHealthIndicator.class));
    }

    @Test
    void healthIndicatorBacksOffForAnApplicationsOwn() {
        this.contextRunner
            .withBean("gaggleHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleHealthIndicator.class));
    }
}
