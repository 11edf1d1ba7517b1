package io.gaggle.raft;

import java.util.Arrays;

/**
 * The fixed-size fields of each log entry (term, location in {@link LogSegments}, lengths, mapper
 * number) in chunks of {@code long[]}: the log holds no object per entry, and growing it adds a
 * chunk instead of copying what it holds.
 */
final class EntryTable {

    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_ENTRIES = 1 << CHUNK_SHIFT;
    private static final int TERM = 0;
    private static final int LOCATION = 1;
    /** The id's length in the high 32 bits, the data's in the low 32. */
    private static final int LENGTHS = 2;
    private static final int MAPPER = 3;
    private static final int FIELDS = 4;

    private long[][] chunks = new long[0][];
    private int size;

    int size() {
        return size;
    }

    void add(long term, long location, int idLength, int dataLength, int mapper) {
        int chunk = size >>> CHUNK_SHIFT;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(4, chunks.length * 2));
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new long[CHUNK_ENTRIES * FIELDS];
        }
        int base = base(size);
        long[] fields = chunks[chunk];
        fields[base + TERM] = term;
        fields[base + LOCATION] = location;
        fields[base + LENGTHS] = (long) idLength << 32 | Integer.toUnsignedLong(dataLength);
        fields[base + MAPPER] = mapper;
        size++;
    }

    /** Forgets the entries from {@code newSize} on; their chunks are reused by later appends. */
    void truncate(int newSize) {
        size = newSize;
    }

    long term(int index) {
        return field(index, TERM);
    }

    long location(int index) {
        return field(index, LOCATION);
    }

    int idLength(int index) {
        return (int) (field(index, LENGTHS) >>> 32);
    }

    int dataLength(int index) {
        return (int) field(index, LENGTHS);
    }

    int mapper(int index) {
        return (int) field(index, MAPPER);
    }

    private long field(int index, int field) {
        return chunks[index >>> CHUNK_SHIFT][base(index) + field];
    }

    private static int base(int index) {
        return (index & (CHUNK_ENTRIES - 1)) * FIELDS;
    }
}
