package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * the {@code gaggle} health contributor ({@link GaggleHealthIndicator}), when Spring Boot's
 * health support is on the classpath; {@code management.health.gaggle.enabled=false} turns it off.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class)
@ConditionalOnClass({ Gaggle.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(Gaggle.class)
@ConditionalOnEnabledHealthIndicator("gaggle")
@EnableConfigurationProperties(GaggleProperties.class)
public final class GaggleHealthContributorAutoConfiguration {

    /** Long enough for several elections in a row to end in split votes, which is normal. */
    static final int ELECTION_TIMEOUTS_WITHOUT_LEADER = 10;

    @Bean
    @ConditionalOnMissingBean(name = "gaggleHealthIndicator")
    GaggleHealthIndicator gaggleHealthIndicator(Gaggle gaggle, GaggleProperties properties) {
        return new GaggleHealthIndicator(gaggle,
                properties.getElectionTimeout().getMax().multipliedBy(ELECTION_TIMEOUTS_WITHOUT_LEADER));
    }
}
