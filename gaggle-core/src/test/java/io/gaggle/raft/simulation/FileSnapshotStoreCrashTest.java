package io.gaggle.raft.simulation;

import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotStore;
import io.gaggle.raft.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;

import io.gaggle.raft.simulation.CrashingDirectory.PowerCut;
import io.gaggle.storage.FileSnapshotStore;
import io.gaggle.storage.MemorySnapshotStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FileSnapshotStore} over a {@link CrashingDirectory}: whatever point of taking or
 * receiving a snapshot a crash strikes, the store opens again with the snapshot it had or the
 * new one, whole, never a damaged one, and with nothing else left in the directory.
 */
class FileSnapshotStoreCrashTest {

    private static final int RUNS = 2_000;
    private static final long OLD = 10;
    private static final long NEW = 20;
    private static final int CHUNK_BYTES = 16 << 10;

    @Test
    void aStoreReopensAfterEveryCrashWithTheOldSnapshotOrTheNewOneWhole() throws IOException {
        CrashingDirectory.Losses losses = new CrashingDirectory.Losses();
        for (int seed = 0; seed < RUNS; seed++) {
            Random random = new Random(new Random(seed).nextLong());
            CrashingDirectory directory = new CrashingDirectory();
            SnapshotStore store = FileSnapshotStore.open(directory);
            long before = -1;
            if (random.nextBoolean()) {
                take(store, OLD);
                before = OLD;
            }
            boolean published = false;
            directory.cutPowerAfter(random.nextInt(16));
            try {
                if (random.nextBoolean()) {
                    take(store, NEW);
                } else {
                    receive(store, NEW);
                }
                published = true;
            } catch (PowerCut cut) {
                // the crash struck where it was armed to
            }
            directory.crash(random);

            try (SnapshotStore reopened = FileSnapshotStore.open(directory)) {
                SnapshotMeta latest = reopened.latest();
                long index = latest == null ? -1 : latest.index();
                assertThat(index).as("seed %d: the snapshot after the crash", seed)
                        .isIn(published ? List.of(NEW) : List.of(before, NEW));
                List<String> expectedFiles = List.of();
                if (latest != null) {
                    try (InputStream in = reopened.openLatest()) {
                        assertThat(in.readAllBytes()).as("seed %d: content", seed).isEqualTo(content(index));
                    }
                    expectedFiles = List.of(String.format("snapshot-%020d-1.snap", index));
                }
                assertThat(directory.list()).as("seed %d: files left", seed).isEqualTo(expectedFiles);
            }
            losses.add(directory.losses);
        }
        assertThat(losses.powerCuts).as("crashes that struck mid-work").isGreaterThan(RUNS / 4);
    }

    private static void take(SnapshotStore store, long index) throws IOException {
        SnapshotWriter writer = store.write(index, 1, List.of("e" + index));
        try (OutputStream out = writer.content()) {
            out.write(content(index));
        }
        assertThat(writer.publish().index()).isEqualTo(index);
    }

    /** The snapshot at {@code index} taken by a leader, then sent to {@code store} in chunks. */
    private static void receive(SnapshotStore store, long index) throws IOException {
        try (SnapshotStore leader = new MemorySnapshotStore()) {
            take(leader, index);
            long offset = 0;
            for (byte[] chunk = leader.readChunk(0, CHUNK_BYTES); chunk.length > 0;
                    chunk = leader.readChunk(offset, CHUNK_BYTES)) {
                store.receiveChunk(index, 1, offset, chunk);
                offset += chunk.length;
            }
        }
        assertThat(store.completeReceived().index()).isEqualTo(index);
    }

    /** The application state at {@code index}: large enough to take several writes. */
    private static byte[] content(long index) {
        byte[] content = new byte[100_000 + (int) index];
        new Random(index).nextBytes(content);
        return content;
    }
}
