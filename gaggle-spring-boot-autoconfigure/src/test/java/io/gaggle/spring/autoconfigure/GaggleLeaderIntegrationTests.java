package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.SeverableChannel;
import io.gaggle.channel.memory.MemoryChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.integration.annotation.Role;
import org.springframework.integration.annotation.ServiceActivator;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.context.IntegrationContextUtils;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.support.SmartLifecycleRoleController;
import org.springframework.messaging.MessageHandler;

import static io.gaggle.spring.autoconfigure.GaggleContexts.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications on one memory hub: Spring Integration's leader events and
 * role-bound lifecycles follow the Raft leadership from node to node.
 */
class GaggleLeaderIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Long enough that a loaded machine's pauses do not pass for a lost leader. */
    private static final Duration MIN_ELECTION_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration MAX_ELECTION_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);

    private List<ConfigurableApplicationContext> cluster;

    @BeforeEach
    void startCluster() {
        String hub = "leader-" + UUID.randomUUID();
        this.cluster = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            this.cluster.add(new SpringApplicationBuilder(LeaderApplication.class).properties(
                    "spring.main.web-application-type=none", "spring.main.banner-mode=off", "gaggle.id=node-" + i,
                    "gaggle.cluster-size=3", "gaggle.election-timeout.min=" + MIN_ELECTION_TIMEOUT.toMillis() + "ms",
                    "gaggle.election-timeout.max=" + MAX_ELECTION_TIMEOUT.toMillis() + "ms",
                    "gaggle.heartbeat-interval=" + HEARTBEAT_INTERVAL.toMillis() + "ms", "test.hub=" + hub)
                .run());
        }
    }

    @AfterEach
    void stopCluster() {
        this.cluster.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void theLeaderIsGrantedOncePerTerm() {
        awaitGrantedLeader(this.cluster);
        // An election while the nodes started may have granted an earlier term elsewhere: that is fine, once.
        assertOneGrantPerTermAndRevokesBetweenGrants();
    }

    @Test
    void yieldingMovesTheGrantToAnotherNodeAndRevokesTheOldOne() {
        ConfigurableApplicationContext first = awaitGrantedLeader(this.cluster);
        Leadership granted = last(first);

        granted.context().yield();

        ConfigurableApplicationContext second = awaitGrantedLeader(this.cluster);
        assertThat(second).isNotSameAs(first);
        assertThat(last(second).term()).isGreaterThan(granted.term());
        await().atMost(TIMEOUT).until(() -> !last(first).granted());
        assertThat(last(first).term()).isEqualTo(granted.term());
        assertThat(granted.context().isLeader()).isFalse();
        assertOneGrantPerTermAndRevokesBetweenGrants();
    }

    @Test
    void cuttingTheLeaderOffRevokesItWithinTwoElectionTimeouts() {
        ConfigurableApplicationContext leader = awaitGrantedLeader(this.cluster);
        long cut = System.nanoTime();
        leader.getBean(SeverableChannel.class).sever();

        await().atMost(MAX_ELECTION_TIMEOUT.multipliedBy(2))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> !last(leader).granted());

        assertThat(Duration.ofNanos(last(leader).nanos() - cut)).isLessThanOrEqualTo(MAX_ELECTION_TIMEOUT.multipliedBy(2));
    }

    @Test
    void aLeaderCutOffStepsDownForWantOfAQuorumAndTheOthersGrantANewOne() {
        ConfigurableApplicationContext first = awaitGrantedLeader(this.cluster);
        long stepDowns = node(first).getStatus().stepDowns();
        first.getBean(SeverableChannel.class).sever();

        await().atMost(TIMEOUT).until(() -> !last(first).granted());
        assertThat(node(first).getStatus().stepDowns()).isEqualTo(stepDowns + 1);
        List<ConfigurableApplicationContext> rest = this.cluster.stream().filter((context) -> context != first).toList();
        ConfigurableApplicationContext second = awaitGrantedLeader(rest);
        assertThat(last(second).term()).isGreaterThan(last(first).term());
        assertOneGrantPerTermAndRevokesBetweenGrants();
    }

    @Test
    void anEndpointInTheRoleRunsOnTheLeaderAloneAndMovesOnYield() {
        ConfigurableApplicationContext first = awaitGrantedLeader(this.cluster);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(running()).containsExactly(first));

        last(first).context().yield();

        ConfigurableApplicationContext second = awaitGrantedLeader(this.cluster);
        assertThat(second).isNotSameAs(first);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(running()).containsExactly(second));
    }

    private List<ConfigurableApplicationContext> running() {
        return this.cluster.stream()
            .filter((context) -> !context
                .getBean(IntegrationContextUtils.INTEGRATION_LIFECYCLE_ROLE_CONTROLLER, SmartLifecycleRoleController.class)
                .noEndpointsRunning("gaggle"))
            .toList();
    }

    /** Across the cluster, no term is granted twice, and each node's grants and revokes alternate. */
    private void assertOneGrantPerTermAndRevokesBetweenGrants() {
        Map<Long, Long> grantsPerTerm = this.cluster.stream()
            .flatMap((context) -> grants(context).stream())
            .collect(Collectors.groupingBy(Leadership::term, Collectors.counting()));
        assertThat(grantsPerTerm).allSatisfy((term, grants) -> assertThat(grants).as("grants in term " + term)
            .isEqualTo(1));
        for (ConfigurableApplicationContext context : this.cluster) {
            List<Leadership> events = events(context);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).granted()).as(events.toString()).isEqualTo(i % 2 == 0);
            }
        }
    }

    /** The node granted in the current term, once exactly one node leads and is granted. */
    private static ConfigurableApplicationContext awaitGrantedLeader(List<ConfigurableApplicationContext> contexts) {
        return await().atMost(TIMEOUT).until(() -> contexts.stream()
            .filter((context) -> node(context).isLeader() && !events(context).isEmpty() && last(context).granted()
                    && last(context).term() == node(context).getTerm())
            .toList(), (granted) -> granted.size() == 1).get(0);
    }

    private static List<Leadership> events(ConfigurableApplicationContext context) {
        return List.copyOf(context.getBean(LeadershipEvents.class).events);
    }

    private static List<Leadership> grants(ConfigurableApplicationContext context) {
        return events(context).stream().filter(Leadership::granted).toList();
    }

    private static Leadership last(ConfigurableApplicationContext context) {
        List<Leadership> events = events(context);
        return events.get(events.size() - 1);
    }

    /** A granted or revoked event as one node saw it, and when. */
    record Leadership(String nodeId, long term, boolean granted, GaggleLeaderInitiator.GaggleContext context,
            long nanos) {
    }

    static class LeadershipEvents {

        final List<Leadership> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(AbstractLeaderEvent event) {
            GaggleLeaderInitiator.GaggleContext context = (GaggleLeaderInitiator.GaggleContext) event.getContext();
            this.events.add(new Leadership(((Gaggle) event.getSource()).getId(), context.getTerm(),
                    event instanceof OnGrantedEvent, context, System.nanoTime()));
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableIntegration
    static class LeaderApplication {

        @Bean
        SeverableChannel severableChannel(@Value("${test.hub}") String hub) {
            return new SeverableChannel(new MemoryChannel(hub));
        }

        @Bean
        ChannelConfig channelConfig(SeverableChannel channel) {
            return () -> channel;
        }

        @Bean
        LeadershipEvents leadershipEvents() {
            return new LeadershipEvents();
        }

        /** Leader-only work: an endpoint the role controller alone starts and stops. */
        @Bean
        @ServiceActivator(inputChannel = "reports", autoStartup = "false")
        @Role("gaggle")
        MessageHandler reportWriter() {
            return (message) -> {
            };
        }
    }
}
