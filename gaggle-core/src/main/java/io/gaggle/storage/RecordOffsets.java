package io.gaggle.storage;

import java.util.Arrays;

/**
 * The byte offset of each entry's record within its segment file, by entry index, for the entries
 * from a first index on: compaction drops the offsets before it, copying the retained ones down
 * only once at least as many were dropped, so that costs amortised O(1) per entry.
 */
final class RecordOffsets {

    private long[] offsets = new long[1024];
    /** The index whose offset is {@code offsets[0]}. */
    private long base;
    private long first;
    /** One past the last index recorded. */
    private long end;

    long get(long index) {
        if (index < first || index >= end) {
            throw new IndexOutOfBoundsException("no record offset for index " + index + ", only " + first + " to "
                    + (end - 1));
        }
        return offsets[(int) (index - base)];
    }

    /** Records the offset of the entry at {@code index}, at most one past the last recorded. */
    void set(long index, long offset) {
        int at = Math.toIntExact(index - base);
        if (at == offsets.length) {
            offsets = Arrays.copyOf(offsets, at * 2);
        }
        offsets[at] = offset;
        end = index + 1;
    }

    /** Forgets the offsets before {@code newFirst}. */
    void compactTo(long newFirst) {
        first = newFirst;
        long retained = Math.max(0, end - first);
        if (first - base >= retained) {
            System.arraycopy(offsets, (int) (first - base), offsets, 0, (int) retained);
            base = first;
        }
    }

    /** Forgets every offset; the next one recorded is that of {@code newFirst}. */
    void reset(long newFirst) {
        base = newFirst;
        first = newFirst;
        end = newFirst;
    }
}
