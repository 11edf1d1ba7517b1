package io.gaggle.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Snapshots on the heap, for a node without a storage directory (Raft paper §7): a snapshot's
 * bytes are kept in chunks of at most 256 KiB, never in one array, so a large state needs no
 * contiguous block of heap and no array beyond the JVM's limit of 2 GiB. The chunks stay under
 * half of G1's smallest region (1 MiB): a larger array is "humongous" and takes whole regions,
 * which with chunks of 1 MiB doubled the heap a snapshot takes (measured: 200 MiB for 100 MiB).
 */
public final class MemorySnapshotStore extends AbstractSnapshotStore {

    static final int CHUNK_BYTES = 256 << 10;
    private static final int FIRST_CHUNK_BYTES = 4 << 10;

    @Override
    SnapshotBytes create(long index, long term, boolean received) {
        return new Chunks();
    }

    @Override
    String where() {
        return "in memory";
    }

    /** The bytes of one snapshot: full chunks, then one that grows up to {@link #CHUNK_BYTES}. */
    private static final class Chunks implements SnapshotBytes {

        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, byte[] into, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            byte[] chunk = chunks.get((int) (position / CHUNK_BYTES));
            int within = (int) (position % CHUNK_BYTES);
            int count = (int) Math.min(length, Math.min(size - position, CHUNK_BYTES - within));
            System.arraycopy(chunk, within, into, offset, count);
            return count;
        }

        @Override
        public void append(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int index = (int) (size / CHUNK_BYTES);
                int within = (int) (size % CHUNK_BYTES);
                if (index == chunks.size()) {
                    chunks.add(new byte[Math.min(CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, length))]);
                }
                byte[] chunk = chunks.get(index);
                if (within + length > chunk.length && chunk.length < CHUNK_BYTES) {
                    chunk = Arrays.copyOf(chunk, Math.min(CHUNK_BYTES, Math.max(2 * chunk.length, within + length)));
                    chunks.set(index, chunk);
                }
                int count = Math.min(length, chunk.length - within);
                System.arraycopy(bytes, offset, chunk, within, count);
                size += count;
                offset += count;
                length -= count;
            }
        }

        @Override
        public void makeDurable(long index, long term) {
            // the heap is as durable as a node without storage gets
        }

        @Override
        public void delete() {
            chunks.clear();
        }

        @Override
        public void close() {
        }
    }
}
