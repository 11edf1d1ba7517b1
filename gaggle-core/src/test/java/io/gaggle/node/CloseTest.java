package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleClosedException;
import io.gaggle.Role;
import io.gaggle.channel.ChannelState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link Gaggle#close()} does to calls made after it and to calls still pending.
 */
class CloseTest {

    @Test
    void appendsAfterCloseFailWithGaggleClosedException() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.close().join();
            assertThat(node.append("late")).failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(GaggleClosedException.class);
        }
    }

    @Test
    void dispatchesAfterCloseFailWithGaggleClosedException() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.close().join();
            assertThat(node.dispatchOnLeader("any", List.of())).failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(GaggleClosedException.class);
        }
    }

    @Test
    void pendingAppendsFailWithGaggleClosedExceptionOnClose() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle lonely = cluster.nodes().get(0);
            cluster.nodes().get(1).close().join();
            cluster.nodes().get(2).close().join();
            CompletableFuture<Void> pending = lonely.append("never committed");
            lonely.close().join();
            assertThat(pending).failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(GaggleClosedException.class);
        }
    }

    @Test
    void aClosedNodeNoLongerClaimsLeadershipAndReportsItsChannelClosed() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.close().join();
            assertThat(node.isLeader()).isFalse();
            assertThat(node.getRole()).isEqualTo(Role.FOLLOWER);
            assertThat(node.getStatus().channelState()).isEqualTo(ChannelState.CLOSED);
        }
    }

    @Test
    void aLeaderThatClosesAloneTellsItsRoleListenersItNoLongerLeads() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            long term = node.getTerm();
            List<String> changes = new CopyOnWriteArrayList<>();
            node.onRoleChanged((from, to, changedIn) -> changes.add(from + "->" + to + " in " + changedIn));

            node.close().join();

            assertThat(changes).containsExactly("LEADER->FOLLOWER in " + term);
        }
    }

    @Test
    void aLeaderThatHandsOverOnCloseTellsItsRoleListenersOnceThatItNoLongerLeads() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            long term = leader.getTerm();
            List<String> changes = new CopyOnWriteArrayList<>();
            leader.onRoleChanged((from, to, changedIn) -> changes.add(from + "->" + to + " in " + changedIn));

            leader.close().join();

            assertThat(leader.getStatus().transfers()).isEqualTo(1);
            assertThat(changes).containsExactly("LEADER->FOLLOWER in " + (term + 1));
        }
    }

    @Test
    void theLogStaysReadableAfterClose() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.append("kept").join();
            node.close().join();
            assertThat(node.getLog()).extracting(entry -> entry.data().asString()).contains("kept");
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.close().join();
            node.close().join();
            assertThat(node.getStatus().channelState()).isEqualTo(ChannelState.CLOSED);
        }
    }

    @Test
    void startingAClosedNodeFails() {
        Gaggle node = Gaggle.builder().id("a").clusterSize(1).channel(ChannelConfig.memory("closed-start")).build();
        node.close().join();
        assertThatThrownBy(node::start).isInstanceOf(GaggleClosedException.class);
    }

    @Test
    void appendsQueuedBeforeStartFailWhenTheNodeIsClosedUnstarted() {
        Gaggle node = Gaggle.builder().id("never").clusterSize(1).channel(ChannelConfig.memory("never-started")).build();
        CompletableFuture<Void> queued = node.append("queued");
        node.close().join();
        assertThat(queued).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(GaggleClosedException.class);
    }

    @Test
    void appendsMadeBeforeStartCommitOnceStarted() {
        Gaggle node = Gaggle.builder().id("early").clusterSize(1).channel(ChannelConfig.memory("before-start")).build();
        try {
            CompletableFuture<Void> early = node.append("early bird");
            node.start();
            assertThat(early).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            node.close().join();
        }
    }
}
