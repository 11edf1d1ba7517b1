package io.gaggle.spring.test;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.GaggleAutoConfiguration;
import io.gaggle.spring.autoconfigure.GaggleProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Imported by {@link AutoConfigureGaggle} only: holds the context's start until its node leads.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class)
@ConditionalOnSingleCandidate(Gaggle.class)
public final class GaggleLeadershipAutoConfiguration {

    @Bean
    SingleNodeLeadershipWait gaggleSingleNodeLeadershipWait(Gaggle gaggle, GaggleProperties properties) {
        return new SingleNodeLeadershipWait(gaggle, SingleNodeLeadershipWait.timeout(properties));
    }
}
