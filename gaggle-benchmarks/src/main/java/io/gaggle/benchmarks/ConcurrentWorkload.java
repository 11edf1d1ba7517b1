package io.gaggle.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.gaggle.Gaggle;
import io.gaggle.Subscription;

/**
 * {@code n} appends on the leader with at most {@code inFlight} outstanding; the clock stops when
 * every node has committed every one of them.
 */
final class ConcurrentWorkload implements Workload.OfAppends {

    @Override
    public void run(BenchmarkCluster cluster, int n, BenchmarkOptions options, BenchmarkResult result)
            throws Exception {
        Gaggle leader = cluster.awaitLeader(Duration.ofSeconds(30));

        List<Gaggle> nodes = cluster.live();
        CountDownLatch allCommitted = new CountDownLatch(nodes.size());
        List<Subscription> subscriptions = nodes.stream().map(node -> {
            AtomicLong seen = new AtomicLong();
            return node.onCommitted((entry, index) -> {
                if (seen.incrementAndGet() == n) {
                    allCommitted.countDown();
                }
            });
        }).toList();
        Latencies latencies = new Latencies(n);
        long start = System.nanoTime();
        appendAll(leader, n, options.inFlight(), latencies);
        if (!allCommitted.await(10, TimeUnit.MINUTES)) {
            throw new TimeoutException("not every node committed all " + n + " entries");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        subscriptions.forEach(Subscription::close);
        result.put("commitsPerSec", Math.round(n / seconds))
                .put("latP50ms", latencies.percentileMillis(50))
                .put("latP99ms", latencies.percentileMillis(99));
    }

    @Override
    public void warmUp(BenchmarkCluster cluster, int appends, BenchmarkOptions options) throws Exception {
        appendAll(cluster.awaitLeader(Duration.ofSeconds(30)), appends, options.inFlight(), new Latencies(0));
    }

    private static void appendAll(Gaggle leader, int count, int inFlight, Latencies latencies)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            long sent = System.nanoTime();
            leader.append(Payload.of(i)).whenComplete((ignored, failure) -> {
                latencies.record(System.nanoTime() - sent);
                permits.release();
            });
        }
        permits.acquire(inFlight);
    }
}
