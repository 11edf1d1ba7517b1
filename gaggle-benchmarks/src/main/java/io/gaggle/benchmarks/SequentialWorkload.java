package io.gaggle.benchmarks;

import java.time.Duration;

import io.gaggle.Gaggle;

/**
 * One append at a time on the leader: commit latency with nothing else in flight.
 */
final class SequentialWorkload implements Workload.OfAppends {

    @Override
    public void run(BenchmarkCluster cluster, int n, BenchmarkOptions options, BenchmarkResult result)
            throws Exception {
        Gaggle leader = cluster.awaitLeader(Duration.ofSeconds(30));
        Latencies latencies = new Latencies(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long sent = System.nanoTime();
            leader.append(Payload.of(i)).get();
            latencies.record(System.nanoTime() - sent);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result.put("commitsPerSec", Math.round(n / seconds))
                .put("latP50ms", latencies.percentileMillis(50))
                .put("latP99ms", latencies.percentileMillis(99));
    }

    @Override
    public void warmUp(BenchmarkCluster cluster, int appends, BenchmarkOptions options) throws Exception {
        Gaggle leader = cluster.awaitLeader(Duration.ofSeconds(30));
        for (int i = 0; i < appends; i++) {
            leader.append(Payload.of(i)).get();
        }
    }
}
