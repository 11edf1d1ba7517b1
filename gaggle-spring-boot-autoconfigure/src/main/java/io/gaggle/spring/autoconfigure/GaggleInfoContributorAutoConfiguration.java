package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;

import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * the {@link GaggleInfoContributor}, when Spring Boot's actuator is on the classpath;
 * {@code management.info.gaggle.enabled=false} turns it off.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class)
@ConditionalOnClass({ Gaggle.class, InfoContributor.class, ConditionalOnEnabledInfoContributor.class })
@ConditionalOnSingleCandidate(Gaggle.class)
@ConditionalOnEnabledInfoContributor("gaggle")
public final class GaggleInfoContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GaggleInfoContributor gaggleInfoContributor(Gaggle gaggle) {
        return new GaggleInfoContributor(gaggle);
    }
}
