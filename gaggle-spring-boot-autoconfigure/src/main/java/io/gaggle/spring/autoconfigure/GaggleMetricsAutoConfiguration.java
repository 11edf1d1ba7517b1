package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * the node's Micrometer meters ({@link GaggleMetrics}), when the application has a
 * {@link MeterRegistry}.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ Gaggle.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(Gaggle.class)
public final class GaggleMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GaggleMetrics gaggleMetrics(Gaggle gaggle) {
        return new GaggleMetrics(gaggle);
    }
}
