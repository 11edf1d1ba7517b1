package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The original's cluster scenarios, on the memory channel, with real threads and timers.
 */
class GaggleClusterTest {

    @Test
    void threeNodesElectExactlyOneLeader() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            assertThat(cluster.nodes()).filteredOn(Gaggle::isLeader).containsExactly(leader);
            assertThat(cluster.nodes()).filteredOn(node -> node != leader)
                    .allSatisfy(node -> assertThat(node.getRole()).isEqualTo(Role.FOLLOWER));
        }
    }

    @Test
    void fiveNodesElectExactlyOneLeader() {
        try (TestCluster cluster = new TestCluster(5)) {
            Gaggle leader = cluster.awaitLeader();
            assertThat(cluster.nodes()).filteredOn(Gaggle::isLeader).containsExactly(leader);
        }
    }

    @Test
    void aOneNodeClusterLeadsAndCommitsAlone() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.awaitLeader();
            node.append("alone").join();
            assertThat(node.getCommitIndex()).isZero();
        }
    }

    @Test
    void concurrentAppendsOnAllNodesCommitInOneOrderEverywhere() {
        try (TestCluster cluster = new TestCluster(3)) {
            Map<Gaggle, List<LogEntry>> committed = new java.util.HashMap<>();
            for (Gaggle node : cluster.nodes()) {
                List<LogEntry> entries = new CopyOnWriteArrayList<>();
                node.onCommitted((entry, index) -> entries.add(entry));
                committed.put(node, entries);
            }
            cluster.awaitLeader();
            List<Object> data = List.of("mary", 42, 3.5, List.of("a", 1), Map.of("foo", "lamb"), true);
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (Gaggle node : cluster.nodes()) {
                    appends.add(node.append(data.get((round + appends.size()) % data.size())));
                }
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();

            await().until(() -> committed.values().stream().allMatch(entries -> entries.size() == appends.size()));
            List<LogEntry> reference = committed.get(cluster.nodes().get(0));
            assertThat(committed.values()).allSatisfy(entries -> assertThat(entries).isEqualTo(reference));
            assertThat(reference).extracting(LogEntry::id).doesNotHaveDuplicates();
            assertThat(reference).extracting(LogEntry::data).map(JsonNode::toString)
                    .contains("\"mary\"", "42", "3.5", "[\"a\",1]", "{\"foo\":\"lamb\"}", "true");
        }
    }

    @Test
    void threeNodesElectANewLeaderAndCommitWithOneNodeDown() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle oldLeader = cluster.awaitLeader();
            oldLeader.append("before").join();
            oldLeader.close().join();

            Gaggle newLeader = cluster.awaitLeader();
            assertThat(newLeader).isNotSameAs(oldLeader);
            newLeader.append("after").join();
            assertThat(newLeader.getLog()).extracting(LogEntry::data).map(JsonNode::asString)
                    .contains("before", "after");
        }
    }

    /**
     * Three of five are a bare majority: they elect one of themselves and commit on all three,
     * while the two closed nodes take no part.
     */
    @Test
    void fiveNodesElectANewLeaderAndCommitWithTwoNodesDown() {
        try (TestCluster cluster = new TestCluster(5)) {
            Gaggle oldLeader = cluster.awaitLeader();
            long oldTerm = oldLeader.getTerm();
            oldLeader.close().join();
            Gaggle closedFollower = cluster.live().get(0);
            closedFollower.close().join();
            List<Gaggle> down = List.of(oldLeader, closedFollower);
            List<Gaggle> survivors = cluster.nodes().stream().filter(node -> !down.contains(node)).toList();

            Gaggle newLeader = cluster.awaitLeader();
            assertThat(survivors).extracting(Gaggle::getId).contains(newLeader.getId());
            assertThat(newLeader.getTerm()).isGreaterThan(oldTerm);
            survivors.stream().filter(node -> node != newLeader).findFirst().orElseThrow()
                    .append("with two down").join();
            for (Gaggle node : survivors) {
                await(node.getId() + " commits").until(() -> TestCluster.committed(node).contains("with two down"));
            }
            assertThat(down).allSatisfy(
                    node -> assertThat(TestCluster.committed(node)).doesNotContain("with two down"));
        }
    }

    @Test
    void anAppendOnAFollowerSurvivesALeaderChangeAndCommitsOnce() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle follower = cluster.aFollower();
            CompletableFuture<Void> append = follower.append("survivor", Duration.ofSeconds(10));
            leader.close().join();

            append.join();
            Gaggle newLeader = cluster.awaitLeader();
            newLeader.append("settle").join();
            for (Gaggle node : cluster.live()) {
                await().until(() -> TestCluster.committed(node).contains("settle"));
                assertThat(TestCluster.committed(node)).containsOnlyOnce("survivor");
            }
        }
    }

    @Test
    void appendsCommittedOnEveryNodeReachListenersInLogOrderExactlyOnce() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle follower = cluster.aFollower();
            List<Long> indexes = new CopyOnWriteArrayList<>();
            follower.onCommitted((entry, index) -> indexes.add(index));
            for (int i = 0; i < 50; i++) {
                follower.append(i);
            }
            follower.append("last").join();
            assertThat(indexes).hasSize(51).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void onlyTheLeaderReportsAppendedEntries() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            List<String> appendedOn = new CopyOnWriteArrayList<>();
            for (Gaggle node : cluster.nodes()) {
                node.onAppended((entry, index) -> appendedOn.add(node.getId()));
            }
            cluster.aFollower().append("x").join();
            await().until(() -> !appendedOn.isEmpty());
            assertThat(appendedOn).containsOnly(leader.getId());
        }
    }

    @Test
    void everyNodeHearsOfTheElectedLeader() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle first = cluster.nodes().get(0);
            List<String> heard = new CopyOnWriteArrayList<>();
            first.onLeaderElected((leaderId, term) -> heard.add(leaderId + "@" + term));
            Gaggle leader = cluster.awaitLeader();
            await().until(() -> heard.contains(leader.getId() + "@" + leader.getTerm()));
        }
    }

    @Test
    void anAppendWithoutAQuorumTimesOut() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            for (Gaggle node : cluster.nodes()) {
                if (node != leader) {
                    node.close().join();
                }
            }
            CompletableFuture<Void> append = leader.append("lonely", Duration.ofMillis(200));
            assertThat(append).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        }
    }
}
