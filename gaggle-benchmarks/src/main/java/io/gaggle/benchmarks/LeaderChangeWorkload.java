package io.gaggle.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.Subscription;

/**
 * The leader goes away: time until a surviving node hears of a new leader, and until an append
 * made on a survivor at that moment commits. {@code failover} kills the leader without warning;
 * {@code transfer} closes it gracefully. Each round is a fresh cluster; medians are reported.
 */
final class LeaderChangeWorkload implements Workload {

    private final boolean graceful;

    LeaderChangeWorkload(boolean graceful) {
        this.graceful = graceful;
    }

    @Override
    public void run(BenchmarkCluster first, int rounds, BenchmarkOptions options, BenchmarkResult result)
            throws Exception {
        Latencies newLeader = new Latencies(rounds);
        Latencies nextCommit = new Latencies(rounds);
        BenchmarkCluster cluster = first;
        for (int round = 0; round < rounds; round++) {
            if (round > 0) {
                cluster = first.fresh();
            }
            try {
                measure(cluster, newLeader, nextCommit);
            } finally {
                if (cluster != first) {
                    cluster.close();
                }
            }
        }
        result.put("newLeaderMsP50", newLeader.percentileMillis(50))
                .put("newLeaderMsMax", newLeader.percentileMillis(100))
                .put("nextCommitMsP50", nextCommit.percentileMillis(50))
                .put("nextCommitMsMax", nextCommit.percentileMillis(100));
    }

    private void measure(BenchmarkCluster cluster, Latencies newLeader, Latencies nextCommit) throws Exception {
        Gaggle leader = cluster.awaitLeader(Duration.ofSeconds(30));
        leader.append(Payload.of(0)).get(10, TimeUnit.SECONDS);
        Gaggle survivor = cluster.live().stream().filter(node -> node != leader).findFirst().orElseThrow();
        CompletableFuture<Long> elected = new CompletableFuture<>();
        long oldTerm = leader.getTerm();
        Subscription subscription = survivor.onLeaderElected((leaderId, term) -> {
            if (term > oldTerm && !leaderId.equals(leader.getId())) {
                elected.complete(System.nanoTime());
            }
        });

        long start = System.nanoTime();
        if (graceful) {
            leader.close();
        } else {
            cluster.crash(leader);
        }
        CompletableFuture<Void> append = survivor.append(Payload.of(1), Duration.ofSeconds(30));
        long electedAt = elected.get(30, TimeUnit.SECONDS);
        append.get(30, TimeUnit.SECONDS);
        long committedAt = System.nanoTime();
        subscription.close();
        newLeader.record(electedAt - start);
        nextCommit.record(committedAt - start);
    }
}
