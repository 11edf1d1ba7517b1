package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every real channel must carry: clusters of real nodes over a real server elect, replicate,
 * fail over and agree on one order. Each channel's test supplies the channel.
 */
abstract class RealChannelClusterContract {

    /** A fresh cluster's channel: a new channel name on the real server. */
    abstract Supplier<ChannelConfig> channel();

    TestCluster cluster(int size) {
        return new TestCluster(size, channel(), builder -> builder.accelerateHeartbeats(true));
    }

    @Test
    void threeNodesElectALeaderAndReplicate() {
        try (TestCluster cluster = cluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            cluster.aFollower().append("over the wire").join();
            for (Gaggle node : cluster.nodes()) {
                await().until(() -> TestCluster.committed(node).contains("over the wire"));
            }
            assertThat(cluster.nodes()).filteredOn(Gaggle::isLeader).containsExactly(leader);
        }
    }

    @Test
    void threeNodesElectANewLeaderAndCommitAfterTheLeaderCrashes() {
        try (TestCluster cluster = cluster(3)) {
            Gaggle oldLeader = cluster.awaitLeader();
            oldLeader.append("before").join();
            cluster.crash(oldLeader);

            Gaggle newLeader = cluster.awaitLeader();
            assertThat(newLeader).isNotSameAs(oldLeader);
            newLeader.append("after").join();
            assertThat(TestCluster.committed(newLeader)).contains("before", "after");
        }
    }

    /**
     * Three of five are a bare majority: they elect one of themselves and commit on all three,
     * while the two crashed nodes, cut off, take no part.
     */
    @Test
    void fiveNodesElectANewLeaderAndCommitWithTwoCrashed() {
        try (TestCluster cluster = cluster(5)) {
            Gaggle oldLeader = cluster.awaitLeader();
            cluster.crash(oldLeader);
            Gaggle crashedFollower = cluster.live().get(0);
            cluster.crash(crashedFollower);
            List<Gaggle> crashed = List.of(oldLeader, crashedFollower);
            List<Gaggle> survivors = cluster.nodes().stream().filter(node -> !crashed.contains(node)).toList();

            Gaggle newLeader = cluster.awaitLeader();
            assertThat(survivors).extracting(Gaggle::getId).contains(newLeader.getId());
            newLeader.append("three of five").join();
            for (Gaggle node : survivors) {
                await(node.getId() + " commits").until(() -> TestCluster.committed(node).contains("three of five"));
            }
            assertThat(crashed).allSatisfy(
                    node -> assertThat(TestCluster.committed(node)).doesNotContain("three of five"));
        }
    }

    @Test
    void concurrentAppendsFromAllNodesCommitInOneOrderEverywhere() {
        try (TestCluster cluster = cluster(3)) {
            Map<Gaggle, List<String>> committed = new HashMap<>();
            for (Gaggle node : cluster.nodes()) {
                List<String> ids = new CopyOnWriteArrayList<>();
                node.onCommitted((entry, index) -> ids.add(entry.id()));
                committed.put(node, ids);
            }
            cluster.awaitLeader();
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                for (Gaggle node : cluster.nodes()) {
                    appends.add(node.append(Map.of("from", node.getId(), "i", i)));
                }
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();

            await().until(() -> committed.values().stream().allMatch(ids -> ids.size() == appends.size()));
            List<String> reference = committed.get(cluster.nodes().get(0));
            assertThat(committed.values()).allSatisfy(ids -> assertThat(ids).isEqualTo(reference));
            assertThat(reference).doesNotHaveDuplicates();
        }
    }

    @Test
    void aNodeWhoseConnectionIsCutCatchesUpOnceRestored() {
        try (TestCluster cluster = cluster(3)) {
            Gaggle follower = cluster.aFollower();
            cluster.cut(follower);
            Gaggle leader = cluster.awaitLeader();
            for (int i = 0; i < 20; i++) {
                leader.append("while cut " + i).join();
            }
            cluster.restore(follower);

            await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.committed(follower).contains("while cut 19"));
            assertThat(TestCluster.committed(follower)).isEqualTo(TestCluster.committed(leader).subList(0, TestCluster.committed(follower).size()));
        }
    }
}
