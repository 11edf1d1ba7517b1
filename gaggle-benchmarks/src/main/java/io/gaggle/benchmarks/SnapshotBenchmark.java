package io.gaggle.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.Snapshotter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one snapshot of a large application state costs: a three-node cluster with file storage,
 * each node's state {@code --mb} MiB of random bytes, takes a snapshot ({@code saveMs}: from the
 * leader's {@code save} starting to the snapshot being durable in its store), then a third node
 * whose storage is empty joins and gets it by InstallSnapshot ({@code transferMs}: from its start
 * to its {@code restore} starting; {@code restoreMs}: the restore itself). Prints one JSON line:
 * <pre>{@code
 * java -cp gaggle-benchmarks/target/gaggle-benchmarks.jar io.gaggle.benchmarks.SnapshotBenchmark --mb 100
 * }</pre>
 * Needs a heap for three states and a restore's copy: {@code -Xmx1g} for 100 MiB.
 */
public final class SnapshotBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int THRESHOLD = 100;
    private static final long TIMEOUT_NANOS = 120_000_000_000L;

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mb = 100;
        String channel = "memory";
        String redisUrl = "redis://127.0.0.1:6379";
        Path root = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mb" -> mb = Integer.parseInt(args[i + 1]);
                case "--channel" -> channel = args[i + 1];
                case "--redis" -> redisUrl = args[i + 1];
                case "--storage-dir" -> root = Path.of(args[i + 1]);
                default -> {
                    System.err.println("usage: SnapshotBenchmark [--mb 100] [--channel memory|redis] [--redis URL] "
                            + "[--storage-dir D]");
                    System.exit(2);
                }
            }
        }
        System.out.println(JSON.writeValueAsString(run(mb, channel, redisUrl, root).fields()));
        System.exit(0);
    }

    private static BenchmarkResult run(int mb, String channel, String redisUrl, Path root) throws Exception {
        BenchmarkResult result = new BenchmarkResult().put("mode", "snapshot").put("channel", channel)
                .put("storage", "file").put("stateMB", mb);
        ChannelConfig config = BenchmarkCluster.ChannelEndpoint.create(channel, "snapshot-" + UUID.randomUUID(),
                redisUrl).configs().get();
        try (ScratchDirectory directory = ScratchDirectory.create(root, "gaggle-snapshot-")) {
            measure(mb, config, directory.path(), result);
        }
        return result;
    }

    private static void measure(int mb, ChannelConfig config, Path directory, BenchmarkResult result)
            throws Exception {
        List<Gaggle> nodes = new ArrayList<>();
        try {
            List<BlobState> states = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BlobState state = new BlobState(i < 2 ? mb << 20 : 0);
                states.add(state);
                nodes.add(Gaggle.builder().id("node-" + i).clusterSize(3).channel(config).accelerateHeartbeats(true)
                        .storage(directory.resolve("node-" + i)).snapshotter(state).snapshotThreshold(THRESHOLD)
                        .snapshotTrailingEntries(0).build());
            }
            // Two nodes make a quorum; the third starts empty once they compacted.
            nodes.get(0).start();
            nodes.get(1).start();
            Gaggle leader = await(() -> nodes.get(0).isLeader() || nodes.get(1).isLeader())
                    ? (nodes.get(0).isLeader() ? nodes.get(0) : nodes.get(1)) : null;
            BlobState leaderState = states.get(nodes.indexOf(leader));
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int i = 0; i < THRESHOLD + 1; i++) {
                appends.add(leader.append(Payload.of(i)));
            }
            appends.forEach(CompletableFuture::join);
            await(() -> leader.getStatus().snapshotIndex() >= 0);
            long durable = System.nanoTime();
            result.put("saveMs", (durable - leaderState.saveStarted) / 1e6)
                    .put("saveWriteMs", (leaderState.saveEnded - leaderState.saveStarted) / 1e6)
                    .put("bytes", (long) mb << 20);

            Gaggle joiner = nodes.get(2);
            BlobState joinerState = states.get(2);
            long start = System.nanoTime();
            joiner.start();
            await(() -> joinerState.restoreEnded != 0);
            result.put("transferMs", (joinerState.restoreStarted - start) / 1e6)
                    .put("restoreMs", (joinerState.restoreEnded - joinerState.restoreStarted) / 1e6)
                    .put("restoredBytes", joinerState.blob.length);
            await(() -> joiner.getCommitIndex() == leader.getCommitIndex());
            result.put("caughtUpMs", (System.nanoTime() - start) / 1e6);
        } finally {
            // Before the directory goes: a node's storage writes as it closes.
            for (Gaggle node : nodes) {
                node.close().get();
            }
        }
    }

    /** Waits, for at most two minutes, until {@code condition} holds; returns true, or throws. */
    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** A state of opaque bytes, saved and restored whole, timed. */
    private static final class BlobState implements Snapshotter {

        volatile byte[] blob;
        volatile long saveStarted;
        volatile long saveEnded;
        volatile long restoreStarted;
        volatile long restoreEnded;

        BlobState(int bytes) {
            blob = new byte[bytes];
            new Random(bytes).nextBytes(blob);
        }

        @Override
        public void save(long index, OutputStream out) throws IOException {
            saveStarted = System.nanoTime();
            out.write(blob);
            out.flush();
            saveEnded = System.nanoTime();
        }

        @Override
        public void restore(long index, InputStream in) throws IOException {
            restoreStarted = System.nanoTime();
            blob = in.readAllBytes();
            restoreEnded = System.nanoTime();
        }
    }
}
