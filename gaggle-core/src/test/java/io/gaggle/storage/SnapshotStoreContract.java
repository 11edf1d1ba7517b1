package io.gaggle.storage;

import io.gaggle.raft.SnapshotContent;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotStore;
import io.gaggle.raft.SnapshotWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SnapshotStore} does: a subclass per implementation. */
abstract class SnapshotStoreContract {

    private static final int CHUNK_BYTES = 1000;
    private static final List<String> IDS = List.of("a-1", "ünïcødé-✓", "");

    SnapshotStore store;
    private SnapshotStore receiver;

    /** A new, empty store; the test closes it. */
    abstract SnapshotStore newStore() throws IOException;

    @BeforeEach
    void createStores() throws IOException {
        store = newStore();
        receiver = newStore();
    }

    @AfterEach
    void closeStores() {
        store.close();
        receiver.close();
    }

    @Test
    void aNewStoreHasNoSnapshot() throws IOException {
        assertThat(store.latest()).isNull();
        assertThat(store.openLatest()).isNull();
        assertThat(store.readChunk(0, CHUNK_BYTES)).isEmpty();
    }

    @Test
    void aPublishedSnapshotIsTheLatestAndItsContentReadsBack() throws IOException {
        SnapshotMeta meta = take(store, 7, 2, "state at 7");

        assertThat(meta).isEqualTo(new SnapshotMeta(7, 2, "state at 7".length(), IDS));
        assertThat(store.latest()).isEqualTo(meta);
        assertThat(content(store)).isEqualTo("state at 7");
    }

    @Test
    void aLargeSnapshotIsStreamedInAndOut() throws IOException {
        long size = 50L << 20;
        SnapshotWriter writer = store.write(1_000_000, 9, IDS);
        long written = generate(writer.content(), size, 42);
        SnapshotMeta meta = writer.publish();

        assertThat(meta.size()).isEqualTo(size);
        try (InputStream in = store.openLatest()) {
            assertThat(checksum(in)).isEqualTo(written);
        }
    }

    @Test
    void readChunkCoversTheHeaderTheContentAndTheChecksum() {
        take(store, 7, 2, "state at 7");
        int headerBytes = SnapshotFormat.header(7, 2, IDS).length;

        byte[] whole = chunks(store, 3);

        assertThat(whole).hasSize(headerBytes + "state at 7".length() + 4);
        assertThat(new String(whole, headerBytes, "state at 7".length(), StandardCharsets.UTF_8))
                .isEqualTo("state at 7");
        assertThat(store.readChunk(whole.length, CHUNK_BYTES)).isEmpty();
    }

    @Test
    void aSnapshotReceivedInChunksBecomesTheLatest() throws IOException {
        SnapshotMeta sent = take(store, 500, 3, "x".repeat(10 * CHUNK_BYTES + 17));

        send(store, receiver, 500, 3);

        assertThat(receiver.completeReceived()).isEqualTo(sent);
        assertThat(receiver.latest()).isEqualTo(sent);
        assertThat(content(receiver)).isEqualTo("x".repeat(10 * CHUNK_BYTES + 17));
    }

    @Test
    void aChunkAtAnotherOffsetThanTheBytesReceivedIsRefused() {
        take(store, 500, 3, "x".repeat(3 * CHUNK_BYTES));
        assertThat(receiver.receiveChunk(500, 3, 0, store.readChunk(0, CHUNK_BYTES))).isTrue();

        assertThat(receiver.receiveChunk(500, 3, 2 * CHUNK_BYTES, store.readChunk(2 * CHUNK_BYTES, CHUNK_BYTES)))
                .isFalse();
        assertThat(receiver.receiveChunk(500, 3, 0 + 1, store.readChunk(1, CHUNK_BYTES))).isFalse();
    }

    @Test
    void aChunkOfAnotherSnapshotIsRefused() {
        take(store, 500, 3, "x".repeat(3 * CHUNK_BYTES));
        assertThat(receiver.receiveChunk(500, 3, 0, store.readChunk(0, CHUNK_BYTES))).isTrue();

        assertThat(receiver.receiveChunk(600, 3, CHUNK_BYTES, store.readChunk(CHUNK_BYTES, CHUNK_BYTES))).isFalse();
    }

    @Test
    void aChunkAtOffsetZeroStartsTheTransferAfresh() throws IOException {
        take(store, 500, 3, "y".repeat(3 * CHUNK_BYTES));
        receiver.receiveChunk(400, 2, 0, "the start of an older transfer".getBytes(StandardCharsets.UTF_8));

        send(store, receiver, 500, 3);

        assertThat(receiver.completeReceived().index()).isEqualTo(500);
        assertThat(content(receiver)).isEqualTo("y".repeat(3 * CHUNK_BYTES));
    }

    @Test
    void aDamagedReceivedSnapshotIsDiscarded() {
        take(store, 500, 3, "z".repeat(3 * CHUNK_BYTES));
        byte[] whole = chunks(store, CHUNK_BYTES);
        whole[whole.length / 2] ^= 1;

        receiver.receiveChunk(500, 3, 0, whole);

        assertThat(receiver.completeReceived()).isNull();
        assertThat(receiver.latest()).isNull();
        assertThat(receiver.completeReceived()).as("nothing left to complete").isNull();
    }

    @Test
    void anIncompleteReceivedSnapshotIsDiscarded() {
        take(store, 500, 3, "z".repeat(3 * CHUNK_BYTES));
        receiver.receiveChunk(500, 3, 0, store.readChunk(0, CHUNK_BYTES));

        assertThat(receiver.completeReceived()).isNull();
        assertThat(receiver.latest()).isNull();
    }

    @Test
    void aSnapshotSentUnderAnotherIndexThanItsHeaderSaysIsDiscarded() {
        take(store, 500, 3, "state at 500");

        receiver.receiveChunk(501, 3, 0, chunks(store, CHUNK_BYTES));

        assertThat(receiver.completeReceived()).isNull();
    }

    @Test
    void aDiscardedTransferLeavesNothingToComplete() {
        take(store, 500, 3, "state at 500");
        receiver.receiveChunk(500, 3, 0, chunks(store, CHUNK_BYTES));

        receiver.discardReceived();

        assertThat(receiver.completeReceived()).isNull();
        assertThat(receiver.latest()).isNull();
    }

    @Test
    void anAbortedSnapshotLeavesTheLatestAsItWas() throws IOException {
        SnapshotMeta first = take(store, 7, 2, "state at 7");
        SnapshotWriter writer = store.write(9, 2, IDS);
        writer.content().write("state at 9".getBytes(StandardCharsets.UTF_8));

        writer.abort();

        assertThat(store.latest()).isEqualTo(first);
        assertThat(content(store)).isEqualTo("state at 7");
    }

    @Test
    void closingTheContentStreamDoesNotPublish() throws IOException {
        SnapshotWriter writer = store.write(9, 2, IDS);
        writer.content().write("state at 9".getBytes(StandardCharsets.UTF_8));

        writer.content().close();

        assertThat(store.latest()).isNull();
        assertThat(writer.publish().index()).isEqualTo(9);
    }

    @Test
    void aNewerSnapshotReplacesTheLatest() throws IOException {
        take(store, 7, 2, "state at 7");

        SnapshotMeta newer = take(store, 12, 3, "state at 12");

        assertThat(store.latest()).isEqualTo(newer);
        assertThat(content(store)).isEqualTo("state at 12");
        assertThat(new String(chunks(store, CHUNK_BYTES), StandardCharsets.UTF_8)).contains("state at 12");
    }

    @Test
    void anOlderSnapshotDoesNotReplaceTheLatest() throws IOException {
        take(receiver, 12, 3, "state at 12");
        take(store, 7, 2, "state at 7");
        send(store, receiver, 7, 2);

        assertThat(receiver.completeReceived().index()).isEqualTo(12);
        assertThat(take(receiver, 12, 3, "again at 12").index()).isEqualTo(12);
        assertThat(content(receiver)).isEqualTo("state at 12");
    }

    @Test
    void aStreamOpenWhenANewerSnapshotIsPublishedKeepsReadingItsOwn() throws IOException {
        SnapshotMeta meta = take(store, 7, 2, "state at 7");
        try (SnapshotContent old = store.openLatest()) {
            take(store, 12, 3, "state at 12");

            assertThat(new String(old.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("state at 7");
            assertThat(old.meta()).isEqualTo(meta);
        }
        assertThat(content(store)).isEqualTo("state at 12");
    }

    /**
     * The restart rule of {@link SnapshotStore}: a transfer during which {@code latest()} did not
     * change arrives intact, even while the delivery thread publishes newer snapshots.
     */
    @Test
    void aTransferDuringWhichTheLatestStayedTheSameArrivesIntact() {
        take(store, 1, 1, "state at 1");
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int index = 2; index <= 200; index++) {
                take(store, index, 1, ("state at " + index).repeat(200));
            }
        });
        int intact = 0;
        while (!publishing.isDone() || intact == 0) {
            SnapshotMeta sending = store.latest();
            send(store, receiver, sending.index(), sending.term());
            if (store.latest().index() == sending.index()) {
                assertThat(receiver.completeReceived()).as("snapshot %d", sending.index()).isNotNull();
                intact++;
            } else {
                receiver.discardReceived();
            }
        }
        publishing.join();
    }

    static SnapshotMeta take(SnapshotStore store, long index, long term, String content) {
        try {
            SnapshotWriter writer = store.write(index, term, IDS);
            try (OutputStream out = writer.content()) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            return writer.publish();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String content(SnapshotStore store) throws IOException {
        try (InputStream in = store.openLatest()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The latest snapshot's bytes, read in chunks of {@code chunkBytes}. */
    static byte[] chunks(SnapshotStore store, int chunkBytes) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] chunk = store.readChunk(0, chunkBytes); chunk.length > 0;
                chunk = store.readChunk(whole.size(), chunkBytes)) {
            assertThat(chunk.length).isLessThanOrEqualTo(chunkBytes);
            whole.writeBytes(chunk);
        }
        return whole.toByteArray();
    }

    /** The leader's side of InstallSnapshot: every chunk of its latest snapshot, in order. */
    static void send(SnapshotStore from, SnapshotStore to, long index, long term) {
        long offset = 0;
        for (byte[] chunk = from.readChunk(0, CHUNK_BYTES); chunk.length > 0;
                chunk = from.readChunk(offset, CHUNK_BYTES)) {
            assertThat(to.receiveChunk(index, term, offset, chunk)).isTrue();
            offset += chunk.length;
        }
    }

    /** Writes {@code size} pseudo-random bytes of {@code seed} in blocks; returns their CRC32C. */
    static long generate(OutputStream out, long size, long seed) throws IOException {
        Random random = new Random(seed);
        CRC32C crc = new CRC32C();
        byte[] block = new byte[64 << 10];
        for (long left = size; left > 0; left -= block.length) {
            random.nextBytes(block);
            int length = (int) Math.min(block.length, left);
            crc.update(block, 0, length);
            out.write(block, 0, length);
        }
        return crc.getValue();
    }

    static long checksum(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] block = new byte[100_000];
        for (int read = in.read(block); read >= 0; read = in.read(block)) {
            crc.update(block, 0, read);
        }
        return crc.getValue();
    }
}
