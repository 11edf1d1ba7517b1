package io.gaggle.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of {@link BenchmarkRunner}. List-valued options (comma-separated) run every
 * combination, one JSON line each.
 *
 * @param channels {@code memory}, {@code redis}, {@code redis-cluster}, {@code socket.io}
 * @param nodes cluster sizes
 * @param modes {@code sequential}, {@code concurrent}, {@code failover}, {@code transfer}
 * @param n appends measured (sequential, concurrent), or rounds (failover, transfer)
 * @param inFlight appends in flight at once (concurrent)
 * @param warmup appends per warm-up round
 * @param accelerate whether the nodes accelerate heartbeats
 * @param redisUrl the Redis to use for the redis channel
 * @param secret the cluster secret the nodes sign with, or null for none
 * @param storages {@code memory}, {@code file}
 * @param storageRoot the directory under which each file-storage cluster makes its own
 * @param snapshotThreshold with 0 or more, every node applies entries to a {@link RecentKeys};
 *        with more than 0, it is also the node's snapshotter, taking a snapshot every that many
 *        entries; -1: no application, as without the option
 */
record BenchmarkOptions(List<String> channels, List<Integer> nodes, List<String> modes, int n, int inFlight,
        int warmup, boolean accelerate, String redisUrl, String secret, List<String> storages, Path storageRoot,
        long snapshotThreshold) {

    static final String USAGE = """
            usage: java -jar gaggle-benchmarks.jar [options]
              --channel memory|redis|redis-cluster|socket.io[,...]   default memory
              --nodes 3[,5,7]                          default 3
              --mode sequential|concurrent|failover|transfer[,...]   default sequential
              --n N             appends measured, or rounds for failover/transfer (default 2000; 5 rounds)
              --in-flight K     appends in flight for concurrent (default 1000)
              --warmup W        sequential and concurrent: appends per warm-up round (default 10000
                                sequential, 100000 concurrent); rounds repeat, at most 10, until
                                the JIT compilers are quiet, on a cluster closed before the
                                measurement, then one round warms the measured cluster; 0: none
              --accelerate true|false   accelerate heartbeats (default true)
              --redis URL       Redis for the redis channel (default redis://127.0.0.1:6379);
                                for redis-cluster, a node of the Redis Cluster (sharded pub/sub)
              --secret S        the nodes sign every message with this cluster secret (default none)
              --storage memory|file[,...]   where nodes keep term, vote and log (default memory);
                                file: a directory per node, deleted after the run, and the
                                disk's fsync latency measured there before each run
              --storage-dir D   where file storage makes its directories (default java.io.tmpdir)
              --snapshot-threshold N   every node applies entries to a map of its 10,000 most recent
                                keys; N > 0: a snapshot of it every N entries, compacting the log;
                                0: no snapshots, the baseline (default: no application at all)
            Prints one JSON object per line.""";

    static BenchmarkOptions parse(String[] args) {
        List<String> channels = List.of("memory");
        List<Integer> nodes = List.of(3);
        List<String> modes = List.of("sequential");
        Integer n = null;
        int inFlight = 1000;
        int warmup = -1;
        boolean accelerate = true;
        String redisUrl = "redis://127.0.0.1:6379";
        String secret = null;
        List<String> storages = List.of("memory");
        Path storageRoot = Path.of(System.getProperty("java.io.tmpdir"));
        long snapshotThreshold = -1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option + "\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--channel" -> channels = split(value);
                case "--nodes" -> nodes = split(value).stream().map(Integer::valueOf).toList();
                case "--mode" -> modes = split(value);
                case "--n" -> n = Integer.valueOf(value);
                case "--in-flight" -> inFlight = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--accelerate" -> accelerate = Boolean.parseBoolean(value);
                case "--redis" -> redisUrl = value;
                case "--secret" -> secret = value;
                case "--storage" -> storages = split(value);
                case "--storage-dir" -> storageRoot = Path.of(value);
                case "--snapshot-threshold" -> snapshotThreshold = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        for (String mode : modes) {
            if (!List.of("sequential", "concurrent", "failover", "transfer").contains(mode)) {
                throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
            }
        }
        for (String channel : channels) {
            if (!List.of("memory", "redis", "redis-cluster", "socket.io").contains(channel)) {
                throw new IllegalArgumentException("unknown channel " + channel + "\n" + USAGE);
            }
        }
        for (String storage : storages) {
            if (!List.of("memory", "file").contains(storage)) {
                throw new IllegalArgumentException("unknown storage " + storage + "\n" + USAGE);
            }
        }
        if (storages.contains("file") && !Files.isDirectory(storageRoot)) {
            throw new IllegalArgumentException("--storage-dir " + storageRoot + " is not a directory\n" + USAGE);
        }
        if (snapshotThreshold < -1) {
            throw new IllegalArgumentException("--snapshot-threshold must be at least 0\n" + USAGE);
        }
        return new BenchmarkOptions(channels, nodes, modes, n == null ? -1 : n, inFlight, warmup, accelerate, redisUrl,
                secret, storages, storageRoot, snapshotThreshold);
    }

    /**
     * Appends per warm-up round before a sequential or concurrent run: what {@code --warmup} said,
     * or the mode's default (see {@link JitWarmup} for the rounds).
     */
    int warmupFor(String mode) {
        if (warmup >= 0) {
            return warmup;
        }
        return mode.equals("sequential") ? 10_000 : 100_000;
    }

    /** Appends or rounds for {@code mode}: what {@code --n} said, or the mode's default. */
    int countFor(String mode) {
        if (n > 0) {
            return n;
        }
        return mode.equals("failover") || mode.equals("transfer") ? 5 : 2000;
    }

    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }
}
