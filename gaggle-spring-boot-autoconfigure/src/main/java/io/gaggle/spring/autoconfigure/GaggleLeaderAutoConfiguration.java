package io.gaggle.spring.autoconfigure;

import java.util.List;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.util.StringUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of Spring Integration's leader API for the
 * application's Gaggle node: a {@link GaggleLeaderInitiator} grants a {@link Candidate} the role
 * {@code gaggle.leader.role} while the node leads and publishes the granted and revoked events
 * through a {@link LeaderEventPublisher}. An application's own {@link Candidate} bean is granted
 * instead of the default one if it is the only one whose role is {@code gaggle.leader.role}:
 * candidates for other roles, such as one meant for a {@code LockRegistryLeaderInitiator}, are
 * left alone. Its own {@link LeaderEventPublisher} or {@link GaggleLeaderInitiator} bean replaces
 * the auto-configured one.
 */
@AutoConfiguration(after = GaggleAutoConfiguration.class)
@ConditionalOnClass({ Gaggle.class, Candidate.class, LeaderEventPublisher.class })
@ConditionalOnSingleCandidate(Gaggle.class)
@ConditionalOnBooleanProperty(name = "gaggle.leader.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GaggleProperties.class)
public final class GaggleLeaderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderEventPublisher leaderEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
        return new DefaultLeaderEventPublisher(applicationEventPublisher);
    }

    @Bean
    @ConditionalOnMissingBean
    GaggleLeaderInitiator gaggleLeaderInitiator(Gaggle gaggle, GaggleProperties properties,
            ObjectProvider<Candidate> candidates, LeaderEventPublisher leaderEventPublisher) {
        String role = role(properties);
        List<Candidate> inRole = candidates.orderedStream().filter((candidate) -> role.equals(candidate.getRole()))
            .toList();
        Candidate candidate = (inRole.size() == 1) ? inRole.get(0) : new DefaultCandidate(gaggle.getId(), role);
        return new GaggleLeaderInitiator(gaggle, candidate, leaderEventPublisher);
    }

    private static String role(GaggleProperties properties) {
        String role = properties.getLeader().getRole();
        if (!StringUtils.hasText(role)) {
            throw InvalidGaggleConfigurationException.of(List.of(new Problem("gaggle.leader.role",
                    "must not be empty: it names the role granted to the leader",
                    "Set gaggle.leader.role to the role of your leader-only SmartLifecycle beans, e.g. gaggle, "
                            + "or gaggle.leader.enabled=false.")));
        }
        return role;
    }

}
