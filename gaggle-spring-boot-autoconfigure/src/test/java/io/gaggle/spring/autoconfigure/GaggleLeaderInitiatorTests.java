package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.LeaderEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleLeaderInitiator} on a single-node cluster, which elects itself as soon
 * as it starts.
 */
class GaggleLeaderInitiatorTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RecordingPublisher publisher = new RecordingPublisher();

    private Gaggle node;

    @BeforeEach
    void buildNode() {
        this.node = Gaggle.builder()
            .id("node-a")
            .clusterSize(1)
            .channel(ChannelConfig.memory(UUID.randomUUID().toString()))
            .build();
    }

    @AfterEach
    void closeNode() throws Exception {
        this.node.close().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void anInitiatorStartedWhenTheNodeAlreadyLeadsGrantsTheTermInProgress() {
        GaggleLeaderInitiator initiator = initiator();
        startNodeAndAwaitLeadership();
        initiator.start();
        try {
            assertThat(this.publisher.events).containsExactly("granted gaggle term " + this.node.getTerm());
            assertThat(initiator.getContext().isLeader()).isTrue();
        }
        finally {
            initiator.destroy();
        }
    }

    @Test
    void anInitiatorStoppedAndStartedAgainGrantsTheTermAgainAfterTheRevoke() {
        GaggleLeaderInitiator initiator = initiator();
        startNodeAndAwaitLeadership();
        initiator.start();
        initiator.stop();
        initiator.start();
        try {
            long term = this.node.getTerm();
            assertThat(this.publisher.events).containsExactly("granted gaggle term " + term,
                    "revoked gaggle term " + term, "granted gaggle term " + term);
        }
        finally {
            initiator.destroy();
        }
    }

    @Test
    void aCandidateThatFailsWhenGrantedStillLeavesTheEventPublished() {
        GaggleLeaderInitiator initiator = new GaggleLeaderInitiator(this.node, new DefaultCandidate("a", "gaggle") {

            @Override
            public void onGranted(Context context) {
                throw new IllegalStateException("cannot start the leader's work");
            }

        }, this.publisher);
        startNodeAndAwaitLeadership();
        initiator.start();
        try {
            assertThat(this.publisher.events).containsExactly("granted gaggle term " + this.node.getTerm());
        }
        finally {
            initiator.destroy();
        }
    }

    @Test
    void theElectionToldAfterTheInitiatorGrantedItIsNotGrantedAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // Registered first, so it holds the delivery thread before the initiator hears of the election.
        Subscription hold = this.node.onRoleChanged((from, to, term) -> awaitRelease(release));
        GaggleLeaderInitiator initiator = initiator();
        // Registered last: once it hears of the election, so has the initiator.
        CompletableFuture<Void> told = new CompletableFuture<>();
        Subscription after = this.node.onRoleChanged((from, to, term) -> told.complete(null));
        try {
            startNodeAndAwaitLeadership();
            initiator.start();
            release.countDown();
            told.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(this.publisher.events).containsExactly("granted gaggle term " + this.node.getTerm());
        }
        finally {
            release.countDown();
            hold.close();
            after.close();
            initiator.destroy();
        }
    }

    @Test
    void theContextOfNoGrantDoesNotLead() {
        GaggleLeaderInitiator initiator = initiator();
        try {
            assertThat(initiator.getContext().isLeader()).isFalse();
            assertThat(initiator.getContext().getRole()).isEqualTo("gaggle");
        }
        finally {
            initiator.destroy();
        }
    }

    private GaggleLeaderInitiator initiator() {
        return new GaggleLeaderInitiator(this.node, new DefaultCandidate("a", "gaggle"), this.publisher);
    }

    private void startNodeAndAwaitLeadership() {
        this.node.start();
        await().atMost(TIMEOUT).until(this.node::isLeader);
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static class RecordingPublisher implements LeaderEventPublisher {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void publishOnGranted(Object source, Context context, String role) {
            this.events.add("granted " + role + " term " + ((GaggleLeaderInitiator.GaggleContext) context).getTerm());
        }

        @Override
        public void publishOnRevoked(Object source, Context context, String role) {
            this.events.add("revoked " + role + " term " + ((GaggleLeaderInitiator.GaggleContext) context).getTerm());
        }

        @Override
        public void publishOnFailedToAcquire(Object source, Context context, String role) {
            this.events.add("failed to acquire " + role);
        }
    }
}
