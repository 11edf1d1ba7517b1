package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.Role;
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
            awaitEvents("granted gaggle term " + this.node.getTerm());
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
            awaitEvents("granted gaggle term " + term, "revoked gaggle term " + term, "granted gaggle term " + term);
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
            awaitEvents("granted gaggle term " + this.node.getTerm());
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
        Subscription after = this.node.onRoleChanged((from, to, term) -> {
            if (to == Role.LEADER) {
                told.complete(null);
            }
        });
        try {
            startNodeAndAwaitLeadership();
            initiator.start();
            release.countDown();
            told.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Stopping runs what the initiator queued on hearing of the election first.
            initiator.stop();
            long term = this.node.getTerm();
            assertThat(this.publisher.events).containsExactly("granted gaggle term " + term,
                    "revoked gaggle term " + term);
        }
        finally {
            release.countDown();
            hold.close();
            after.close();
            initiator.destroy();
        }
    }

    @Test
    void aCandidateGrantedOnTheNodesElectionMayWaitForAnAppend() throws Exception {
        CompletableFuture<Void> appended = new CompletableFuture<>();
        GaggleLeaderInitiator initiator = new GaggleLeaderInitiator(this.node, new DefaultCandidate("a", "gaggle") {

            @Override
            public void onGranted(Context context) {
                try {
                    // The node completes the append on its delivery thread, which must not be the one waiting.
                    GaggleLeaderInitiatorTests.this.node.append("granted").get(5, TimeUnit.SECONDS);
                    appended.complete(null);
                }
                catch (ExecutionException | TimeoutException | InterruptedException ex) {
                    appended.completeExceptionally(ex);
                }
            }

        }, this.publisher);
        initiator.start();
        try {
            this.node.start();

            appended.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitEvents("granted gaggle term " + this.node.getTerm());
        }
        finally {
            initiator.destroy();
        }
    }

    @Test
    void aNodeThatClosesWhileLeadingHasItsGrantRevoked() throws Exception {
        GaggleLeaderInitiator initiator = initiator();
        initiator.start();
        try {
            startNodeAndAwaitLeadership();
            long term = this.node.getTerm();
            awaitEvents("granted gaggle term " + term);

            this.node.close().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            awaitEvents("granted gaggle term " + term, "revoked gaggle term " + term);
        }
        finally {
            initiator.destroy();
        }
    }

    @Test
    void aGrantNoLongerLeadsOnceItsNodeClosedEvenBeforeTheRevoke() throws Exception {
        CompletableFuture<Context> granted = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        // Holds the initiator's thread in the grant, so the revoke waits behind it.
        GaggleLeaderInitiator initiator = new GaggleLeaderInitiator(this.node, new DefaultCandidate("a", "gaggle") {

            @Override
            public void onGranted(Context context) {
                granted.complete(context);
                awaitRelease(release);
            }

        }, this.publisher);
        initiator.start();
        try {
            this.node.start();
            Context context = granted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            this.node.close().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(context.isLeader()).isFalse();
        }
        finally {
            release.countDown();
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

    /** Grants and revokes come on the initiator's own thread: waits until exactly these were published. */
    private void awaitEvents(String... events) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.publisher.events).containsExactly(events));
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
