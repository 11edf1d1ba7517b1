package io.gaggle.node;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Gaggle#readBarrier}: once it completes, the node's listeners have seen every write
 * acknowledged before it, on any node.
 */
class ReadBarrierTest {

    @Test
    void aFollowerSeesAWriteAcknowledgedOnTheLeaderAfterTheBarrier() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle follower = cluster.aFollower();
            Map<String, String> state = new ConcurrentHashMap<>();
            follower.onCommitted((entry, index) -> state.put("key", entry.data().asString()));
            leader.append("written").join();

            long readIndex = follower.readBarrier(Duration.ofSeconds(5)).join();

            assertThat(state).containsEntry("key", "written");
            assertThat(readIndex).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aBarrierOnAClusterWithAnEmptyLogCompletes() {
        try (TestCluster cluster = new TestCluster(3)) {
            cluster.awaitLeader();
            assertThat(cluster.aFollower().readBarrier(Duration.ofSeconds(5)).join()).isEqualTo(-1);
        }
    }

    @Test
    void aBarrierWithoutAQuorumTimesOut() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            cluster.live().stream().filter(node -> node != leader).forEach(cluster::crash);
            assertThat(leader.readBarrier(Duration.ofMillis(300))).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TimeoutException.class);
        }
    }
}
