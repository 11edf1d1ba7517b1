package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import io.gaggle.Gaggle;
import io.gaggle.GaggleBackpressureException;
import io.gaggle.GaggleException;
import io.gaggle.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership transfer, graceful close of a leader, back-pressure and role-change listeners on
 * real nodes.
 */
class LeadershipTest {

    @Test
    void transferLeadershipHandsItToTheNamedFollower() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle target = cluster.aFollower();
            leader.transferLeadership(target.getId()).join();
            assertThat(cluster.awaitLeader()).isSameAs(target);
        }
    }

    @Test
    void transferLeadershipWithoutATargetPicksAFollower() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            leader.transferLeadership().join();
            assertThat(cluster.awaitLeader()).isNotSameAs(leader);
        }
    }

    @Test
    void onlyTheLeaderCanTransferLeadership() {
        try (TestCluster cluster = new TestCluster(3)) {
            assertThat(cluster.aFollower().transferLeadership()).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(GaggleException.class).withMessageContaining("only the leader");
        }
    }

    @Test
    void closingTheLeaderHandsLeadershipOverWithoutAnElection() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            long term = leader.getTerm();
            long followerElectionsBefore = cluster.live().stream().filter(node -> node != leader)
                    .mapToLong(node -> node.getStatus().elections()).sum();
            leader.close().join();

            Gaggle next = cluster.awaitLeader();
            assertThat(next.getTerm()).as("one term for the handover").isEqualTo(term + 1);
            long followerElections = cluster.live().stream().mapToLong(node -> node.getStatus().elections()).sum();
            assertThat(followerElections).as("only the target stood for election").isEqualTo(followerElectionsBefore + 1);
            assertThat(leader.getStatus().transfers()).isEqualTo(1);
        }
    }

    @Test
    void appendsBeyondTheLimitFailFastWithBackpressure() {
        try (TestCluster cluster = new TestCluster(3, builder -> builder.maxPendingAppends(2))) {
            Gaggle lonely = cluster.nodes().get(0);
            cluster.nodes().get(1).close().join();
            cluster.nodes().get(2).close().join();
            lonely.append("one");
            lonely.append("two");
            CompletableFuture<Void> third = lonely.append("three");
            assertThat(third).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(GaggleBackpressureException.class);
            // The status is a snapshot taken at the end of a loop turn.
            await().until(() -> lonely.getStatus().pendingAppends() == 2);
        }
    }

    @Test
    void cancellingTheReturnedFutureDoesNotFreeABackpressureSlot() {
        try (TestCluster cluster = new TestCluster(3, builder -> builder.maxPendingAppends(1))) {
            Gaggle lonely = cluster.nodes().get(0);
            cluster.crash(cluster.nodes().get(1));
            cluster.crash(cluster.nodes().get(2));
            lonely.append("stuck").cancel(true);
            assertThat(lonely.append("second")).failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(GaggleBackpressureException.class);
        }
    }

    @Test
    void roleChangeListenersHearTheWayToLeadership() {
        try (TestCluster cluster = new TestCluster(1)) {
            Gaggle node = cluster.nodes().get(0);
            List<String> changes = new CopyOnWriteArrayList<>();
            node.onRoleChanged((from, to, term) -> changes.add(from + "->" + to));
            node.transferLeadership();
            cluster.awaitLeader();
            cluster.nodes().get(0).append("x").join();
            await().until(() -> node.getRole() == Role.LEADER);
            // A one-node cluster elects itself at start, possibly before the listener was added.
            assertThat(changes).allMatch(change -> change.endsWith("->LEADER") || change.endsWith("->CANDIDATE"));
        }
    }
}
