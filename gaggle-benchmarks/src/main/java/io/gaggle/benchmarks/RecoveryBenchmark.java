package io.gaggle.benchmarks;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.RaftStorage;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long a node with a long log takes to recover it: writes {@code n} entries of ~100-byte data
 * to a {@link FileRaftStorage}, syncing every {@value #SYNC_EVERY} as a busy node's loop turns
 * would, closes it, then times reopening it, {@code rounds} times, and building a node on it
 * ({@code nodeBuildMs}). Prints one JSON line:
 * <pre>{@code
 * java -cp gaggle-benchmarks/target/gaggle-benchmarks.jar io.gaggle.benchmarks.RecoveryBenchmark --n 1000000
 * }</pre>
 * The first reopen is what a restarted process pays (its JIT cold); the files are in the page
 * cache, having just been written, as they are after a process restart but not after a reboot.
 */
public final class RecoveryBenchmark {

    private static final int SYNC_EVERY = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        int rounds = 3;
        Path root = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--storage-dir" -> root = Path.of(args[i + 1]);
                default -> {
                    System.err.println("usage: RecoveryBenchmark [--n 1000000] [--rounds 3] [--storage-dir D]");
                    System.exit(2);
                }
            }
        }
        System.out.println(JSON.writeValueAsString(run(n, rounds, root).fields()));
        System.exit(0);
    }

    private static BenchmarkResult run(int n, int rounds, Path root) throws Exception {
        BenchmarkResult result = new BenchmarkResult().put("mode", "recovery").put("storage", "file").put("n", n);
        FsyncLatency.measure(root, result);
        try (ScratchDirectory directory = ScratchDirectory.create(root, "gaggle-recovery-")) {
            long start = System.nanoTime();
            write(directory.path(), n);
            result.put("writeMs", (System.nanoTime() - start) / 1_000_000)
                    .put("bytesOnDisk", directory.bytes());
            List<Double> reopenMillis = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                start = System.nanoTime();
                try (RaftStorage storage = FileRaftStorage.open(directory.path(), JSON)) {
                    reopenMillis.add((System.nanoTime() - start) / 1e6);
                    if (storage.log().lastIndex() != n - 1) {
                        throw new IllegalStateException("recovered " + (storage.log().lastIndex() + 1)
                                + " entries of " + n);
                    }
                }
            }
            result.put("recoveryMs", reopenMillis.stream().map(ms -> Math.round(ms * 10) / 10.0).toList())
                    .put("recoveryMsPerMillion", reopenMillis.get(0) * 1_000_000 / n);
            // A node on that directory: the store's recovery plus whatever the node adds to it.
            start = System.nanoTime();
            Gaggle node = Gaggle.builder().id("node-0").clusterSize(1)
                    .channel(ChannelConfig.memory("recovery-" + UUID.randomUUID())).storage(directory.path()).build();
            result.put("nodeBuildMs", (System.nanoTime() - start) / 1e6);
            node.close().get();
        }
        return result;
    }

    private static void write(Path directory, int n) {
        long idPrefix = new SecureRandom().nextLong();
        try (RaftStorage storage = FileRaftStorage.open(directory, JSON)) {
            storage.saveTermAndVote(1, null);
            for (int i = 0; i < n; i++) {
                byte[] data = JSON.writeValueAsBytes(Payload.of(i));
                storage.log().append(LogEntry.fromJson(new UUID(idPrefix, i).toString(), 1, data, JSON));
                if ((i + 1) % SYNC_EVERY == 0) {
                    storage.sync();
                }
            }
            storage.sync();
        }
    }
}
