package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.GaggleLeaderInitiatorTests.RecordingPublisher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleLeaderAutoConfiguration}, on single-node clusters that elect themselves.
 */
class GaggleLeaderAutoConfigurationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class, GaggleLeaderAutoConfiguration.class))
        .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void theLeaderIsGrantedTheGaggleRoleByDefault() {
        this.contextRunner.withBean(LeaderEvents.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            AbstractLeaderEvent granted = await().atMost(TIMEOUT)
                .until(() -> context.getBean(LeaderEvents.class).events, (events) -> !events.isEmpty())
                .get(0);
            assertThat(granted).isInstanceOf(OnGrantedEvent.class);
            assertThat(granted.getRole()).isEqualTo("gaggle");
            assertThat(granted.getSource()).isSameAs(node);
            assertThat(granted.getContext().isLeader()).isTrue();
            assertThat(granted.getContext().getRole()).isEqualTo("gaggle");
            assertThat(((GaggleLeaderInitiator.GaggleContext) granted.getContext()).getTerm())
                .isEqualTo(node.getTerm());
            assertThat(((GaggleLeaderInitiator.GaggleContext) granted.getContext()).getNodeId()).isEqualTo("node-a");
            assertThat(context.getBean(LeaderEventPublisher.class)).isInstanceOf(DefaultLeaderEventPublisher.class);
        });
    }

    @Test
    void theRoleIsConfigurable() {
        this.contextRunner.withBean(LeaderEvents.class).withPropertyValues("gaggle.leader.role=billing")
            .run((context) -> assertThat(await().atMost(TIMEOUT)
                .until(() -> context.getBean(LeaderEvents.class).events, (events) -> !events.isEmpty())
                .get(0)
                .getRole()).isEqualTo("billing"));
    }

    @Test
    void closingTheApplicationRevokesTheGrant() {
        LeaderEvents events = new LeaderEvents();
        this.contextRunner.withBean(LeaderEvents.class, () -> events)
            .run((context) -> await().atMost(TIMEOUT).until(() -> !events.events.isEmpty()));
        assertThat(events.events).hasSize(2);
        assertThat(events.events.get(1)).isInstanceOf(OnRevokedEvent.class);
        assertThat(events.events.get(1).getContext()).isSameAs(events.events.get(0).getContext());
        assertThat(events.events.get(1).getContext().isLeader()).isFalse();
    }

    @Test
    void anApplicationsCandidateInTheConfiguredRoleIsGranted() {
        RecordingCandidate candidate = new RecordingCandidate();
        this.contextRunner.withBean(LeaderEvents.class)
            .withBean(Candidate.class, () -> candidate)
            .withPropertyValues("gaggle.leader.role=reports")
            .run((context) -> {
                await().atMost(TIMEOUT).until(() -> !candidate.granted.isEmpty());
                assertThat(candidate.granted.get(0).isLeader()).isTrue();
                assertThat(context.getBean(LeaderEvents.class).events.get(0).getRole()).isEqualTo("reports");
            });
    }

    @Test
    void anApplicationsCandidateInAnotherRoleLeavesTheDefaultCandidateInPlace() {
        this.contextRunner.withBean(Candidate.class, RecordingCandidate::new)
            .run((context) -> assertThat(context.getBean(GaggleLeaderInitiator.class).getCandidate())
                .isInstanceOf(DefaultCandidate.class)
                .extracting(Candidate::getRole)
                .isEqualTo("gaggle"));
    }

    @Test
    void aSecondCandidateBeanInTheRoleLeavesTheDefaultCandidateInPlace() {
        this.contextRunner.withBean("one", Candidate.class, RecordingCandidate::new)
            .withBean("two", Candidate.class, RecordingCandidate::new)
            .withPropertyValues("gaggle.leader.role=reports")
            .run((context) -> assertThat(context.getBean(GaggleLeaderInitiator.class).getCandidate())
                .isInstanceOf(DefaultCandidate.class));
    }

    @Test
    void anApplicationsLeaderEventPublisherIsUsed() {
        RecordingPublisher publisher = new RecordingPublisher();
        this.contextRunner.withBean(LeaderEventPublisher.class, () -> publisher).run((context) -> {
            assertThat(context).getBeans(LeaderEventPublisher.class).hasSize(1);
            await().atMost(TIMEOUT)
                .until(() -> publisher.events.stream().anyMatch((event) -> event.startsWith("granted gaggle ")));
        });
    }

    @Test
    void anApplicationsInitiatorReplacesTheAutoConfiguredOne() {
        this.contextRunner.withUserConfiguration(OwnInitiator.class)
            .run((context) -> assertThat(context).getBeans(GaggleLeaderInitiator.class)
                .containsOnlyKeys("ownInitiator"));
    }

    @Test
    void backsOffWithoutSpringIntegration() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Candidate.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GaggleLeaderInitiator.class));
    }

    @Test
    void backsOffWhenDisabled() {
        this.contextRunner.withPropertyValues("gaggle.leader.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleLeaderInitiator.class)
                .doesNotHaveBean(LeaderEventPublisher.class));
    }

    @Test
    void backsOffWithoutAGaggleNode() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GaggleLeaderAutoConfiguration.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GaggleLeaderInitiator.class));
    }

    @Test
    void anEmptyRoleIsRejectedWithTheProperty() {
        this.contextRunner.withPropertyValues("gaggle.leader.role= ")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("gaggle.leader.role")
                .hasMessageContaining("must not be empty"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInitiator {

        @Bean
        GaggleLeaderInitiator ownInitiator(Gaggle gaggle) {
            return new GaggleLeaderInitiator(gaggle, new RecordingCandidate(), new RecordingPublisher());
        }
    }

    static class LeaderEvents implements ApplicationListener<AbstractLeaderEvent> {

        final List<AbstractLeaderEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(AbstractLeaderEvent event) {
            this.events.add(event);
        }
    }

    static class RecordingCandidate extends DefaultCandidate {

        final List<Context> granted = new CopyOnWriteArrayList<>();

        RecordingCandidate() {
            super("reporter", "reports");
        }

        @Override
        public void onGranted(Context context) {
            this.granted.add(context);
        }
    }
}
