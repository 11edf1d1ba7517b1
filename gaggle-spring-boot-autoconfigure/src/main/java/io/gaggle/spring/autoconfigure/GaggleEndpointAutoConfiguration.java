package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * the {@link GaggleEndpoint}, when Spring Boot's actuator is on the classpath and the endpoint is
 * available (exposed, and its access not {@code none}); read-only by default.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class)
@ConditionalOnClass({ Gaggle.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnSingleCandidate(Gaggle.class)
@ConditionalOnAvailableEndpoint(GaggleEndpoint.class)
@EnableConfigurationProperties(GaggleProperties.class)
public final class GaggleEndpointAutoConfiguration {

    /**
     * Twice the node's own bound on a transfer (two maximum election timeouts), which settles it
     * first; this only keeps the operation from hanging.
     */
    static final int TRANSFER_TIMEOUT_ELECTION_TIMEOUTS = 4;

    @Bean
    @ConditionalOnMissingBean
    GaggleEndpoint gaggleEndpoint(Gaggle gaggle, GaggleProperties properties) {
        return new GaggleEndpoint(gaggle,
                properties.getElectionTimeout().getMax().multipliedBy(TRANSFER_TIMEOUT_ELECTION_TIMEOUTS));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = GaggleEndpoint.class, exposure = EndpointExposure.WEB)
    GaggleEndpointWebExtension gaggleEndpointWebExtension(GaggleEndpoint endpoint) {
        return new GaggleEndpointWebExtension(endpoint);
    }
}
