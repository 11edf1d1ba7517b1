package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleMetricsAutoConfiguration}.
 */
class GaggleMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class, GaggleMetricsAutoConfiguration.class))
        .withPropertyValues("gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void metersFollowTheNode() {
        this.contextRunner
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .run((context) -> {
                Gaggle node = context.getBean(Gaggle.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                await().atMost(Duration.ofSeconds(10)).until(node::isLeader);
                node.append("mary").get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(registry.get("gaggle.role").tag("role", "leader").gauge().value()).isEqualTo(1);
                    assertThat(registry.get("gaggle.role").tag("role", "follower").gauge().value()).isZero();
                    assertThat(registry.get("gaggle.term").gauge().value()).isEqualTo(node.getTerm());
                    assertThat(registry.get("gaggle.commit.index").gauge().value()).isEqualTo(node.getCommitIndex());
                    assertThat(registry.get("gaggle.log.last.index").gauge().value()).isEqualTo(node.getCommitIndex());
                    assertThat(registry.get("gaggle.appends").functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("gaggle.commits").functionCounter().count())
                        .isEqualTo(node.getCommitIndex() + 1);
                    assertThat(registry.get("gaggle.elections").functionCounter().count()).isPositive();
                    assertThat(registry.get("gaggle.messages.dropped").functionCounter().count()).isZero();
                    assertThat(registry.get("gaggle.prevotes").functionCounter().count()).isZero();
                    assertThat(registry.get("gaggle.stepdowns").functionCounter().count()).isZero();
                    assertThat(registry.get("gaggle.transfers").functionCounter().count()).isZero();
                    assertThat(registry.get("gaggle.appends.pending").gauge().value()).isZero();
                    assertThat(registry.get("gaggle.append.latency").timer().count()).isEqualTo(1);
                });
            });
    }

    @Test
    void metricsNeedAMeterRegistry() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(GaggleMetrics.class));
    }
}
