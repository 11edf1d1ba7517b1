package io.gaggle.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import io.gaggle.Gaggle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the benchmarks the options name, one JSON object per line on standard output:
 * <pre>{@code
 * java -jar gaggle-benchmarks/target/gaggle-benchmarks.jar --channel redis --nodes 3 --mode sequential --n 2000
 * }</pre>
 * All nodes run in this JVM. Each run builds a fresh cluster, waits for a leader ({@code electMs})
 * and measures. Sequential and concurrent runs first warm the JIT up on a cluster of their own
 * ({@link JitWarmup}), then warm the measured cluster with one more round; they also report the
 * heap still in use with the cluster alive, after a GC, and that heap per log entry held (summed
 * over the nodes), the entries the nodes' logs retain ({@code retainedEntries}) and, with
 * {@code --snapshot-threshold}, the snapshots they took ({@code snapshots}). Each line says where
 * the nodes kept their state ({@code "storage":"memory"} or {@code "file"}); a file line also
 * carries the fsync latency of the disk under the storage directories, measured just before the
 * run ({@code fsyncP50ms}, {@code fsyncP99ms}; see {@link FsyncLatency}).
 */
public final class BenchmarkRunner {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        for (String channel : options.channels()) {
            for (int nodes : options.nodes()) {
                for (String storage : options.storages()) {
                    for (String mode : options.modes()) {
                        System.out.println(
                                JSON.writeValueAsString(run(channel, nodes, storage, mode, options).fields()));
                    }
                }
            }
        }
        System.exit(0);
    }

    private static BenchmarkResult run(String channel, int nodes, String storage, String mode,
            BenchmarkOptions options) throws Exception {
        int n = options.countFor(mode);
        int inFlight = mode.equals("concurrent") ? options.inFlight() : 1;
        BenchmarkResult result = new BenchmarkResult(channel, nodes, mode, n, inFlight, options.accelerate(),
                options.secret() != null).put("storage", storage)
                .put("snapshotThreshold", options.snapshotThreshold() < 0 ? null : options.snapshotThreshold());
        Workload workload = workload(mode);
        Workload.OfAppends appends = workload instanceof Workload.OfAppends w ? w : null;
        int warmup = appends == null ? 0 : options.warmupFor(mode);
        int warmupRounds = 0;
        if (warmup > 0) {
            // On a cluster of its own: the JIT's work stays, its long logs go before the measurement.
            try (BenchmarkCluster cluster = new BenchmarkCluster(channel, nodes, storage, options)) {
                warmupRounds = JitWarmup.untilSettled(() -> appends.warmUp(cluster, warmup, options));
            }
        }
        if (storage.equals("file")) {
            FsyncLatency.measure(options.storageRoot(), result);
        }
        long heapBefore = usedHeapAfterGc();
        try (BenchmarkCluster cluster = new BenchmarkCluster(channel, nodes, storage, options)) {
            result.put("electMs", cluster.electMillis);
            if (warmup > 0) {
                // The measured cluster warms up too: over Redis, a fresh cluster's first 10,000
                // appends had a p99 of 3 ms, against 0.4 ms after them.
                appends.warmUp(cluster, warmup, options);
                result.put("warmup", (warmupRounds + 1) * warmup);
            }
            workload.run(cluster, n, options, result);
            if (appends != null) {
                // Every node keeps its own copy of the log; the JVM holds them all.
                long retained = usedHeapAfterGc() - heapBefore;
                long entries = cluster.live().stream().map(Gaggle::getStatus)
                        .mapToLong(status -> status.lastLogIndex() - status.firstLogIndex() + 1).sum();
                result.put("heapUsedMB", retained / (1024 * 1024))
                        .put("heapPerEntryBytes", entries == 0 ? 0 : retained / entries)
                        .put("retainedEntries", entries)
                        .put("snapshots", cluster.snapshotsSaved());
            }
        }
        return result;
    }

    private static Workload workload(String mode) {
        return switch (mode) {
            case "sequential" -> new SequentialWorkload();
            case "concurrent" -> new ConcurrentWorkload();
            case "failover" -> new LeaderChangeWorkload(false);
            case "transfer" -> new LeaderChangeWorkload(true);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
