package io.gaggle.storage;

import java.util.Arrays;

/** The byte offset of each entry's record within its segment file, by entry index. */
final class RecordOffsets {

    private long[] offsets = new long[1024];

    long get(long index) {
        return offsets[Math.toIntExact(index)];
    }

    /** Records the offset of the entry at {@code index}, at most one past the last recorded. */
    void set(long index, long offset) {
        int at = Math.toIntExact(index);
        if (at == offsets.length) {
            offsets = Arrays.copyOf(offsets, at * 2);
        }
        offsets[at] = offset;
    }
}
