package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.gaggle.Gaggle;
import io.gaggle.GaggleRpcException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Gaggle#dispatchOnLeader}: runs on the leader, answers the caller only.
 */
class DispatchOnLeaderTest {

    private static TestCluster clusterWithHandlers(int size) {
        return new TestCluster(size, builder -> builder
                .rpc("whoLeads", (leader, args) -> leader.getId())
                .rpc("add", (leader, args) -> args.get(0).asInt() + args.get(1).asInt())
                .rpc("fail", (leader, args) -> {
                    throw new IllegalStateException("not ready: " + args.get(0).asString());
                })
                .rpc("notYet", (leader, args) -> new Error("I am not ready yet, try again in a few seconds")));
    }

    @Test
    void aCallFromAFollowerRunsOnTheLeaderAndReturnsItsResult() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            Gaggle leader = cluster.awaitLeader();
            JsonNode result = cluster.aFollower().dispatchOnLeader("whoLeads", List.of(), Duration.ofSeconds(5)).join();
            assertThat(result.asString()).isEqualTo(leader.getId());
        }
    }

    @Test
    void argumentsArriveAsJsonAndTheResultConvertsToTheRequestedType() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            cluster.awaitLeader();
            Integer sum = cluster.aFollower().dispatchOnLeader("add", List.of(2, 40), Duration.ofSeconds(5), Integer.class)
                    .join();
            assertThat(sum).isEqualTo(42);
        }
    }

    @Test
    void aHandlerThatThrowsFailsTheCallWithItsMessage() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            cluster.awaitLeader();
            CompletableFuture<JsonNode> call = cluster.aFollower().dispatchOnLeader("fail", List.of("disk"),
                    Duration.ofSeconds(5));
            assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class).withMessage("not ready: disk");
        }
    }

    @Test
    void aHandlerThatReturnsAThrowableFailsTheCallAsTheOriginalsReturnedErrorsDo() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            cluster.awaitLeader();
            assertThat(cluster.aFollower().dispatchOnLeader("notYet", List.of(), Duration.ofSeconds(5)))
                    .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class)
                    .withMessage("I am not ready yet, try again in a few seconds");
        }
    }

    @Test
    void anUnknownNameFailsTheCallSayingSo() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            cluster.awaitLeader();
            assertThat(cluster.aFollower().dispatchOnLeader("nope", List.of(), Duration.ofSeconds(5)))
                    .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class)
                    .withMessageContaining("no RPC handler named 'nope'");
        }
    }

    @Test
    void aCallWithNoLeaderTimesOut() {
        try (TestCluster cluster = new TestCluster(3)) {
            cluster.awaitLeader();
            cluster.nodes().get(1).close().join();
            cluster.nodes().get(2).close().join();
            Gaggle lonely = cluster.nodes().get(0);
            // Alone, node 0 loses or never gets leadership (no majority); either way no leader answers.
            CompletableFuture<JsonNode> call = lonely.dispatchOnLeader("whoLeads", List.of(), Duration.ofMillis(300));
            assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfAny(TimeoutException.class, GaggleRpcException.class);
        }
    }

    @Test
    void aCallMadeBeforeAnyLeaderWaitsForOne() {
        try (TestCluster cluster = clusterWithHandlers(3)) {
            CompletableFuture<JsonNode> early = cluster.nodes().get(0).dispatchOnLeader("whoLeads", List.of(),
                    Duration.ofSeconds(10));
            Gaggle leader = cluster.awaitLeader();
            assertThat(early.join().asString()).isEqualTo(leader.getId());
        }
    }
}
