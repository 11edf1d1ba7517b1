package io.gaggle.raft;

import java.util.Arrays;

/**
 * The fixed-size fields of each log entry (term, location in {@link LogSegments}, lengths, mapper
 * number) in chunks of {@code long[]}: the log holds no object per entry, and growing it adds a
 * chunk instead of copying what it holds. Entries are addressed by their global log index; the
 * table holds those from {@link #first()} to {@link #end()} (exclusive), and compaction drops the
 * leading chunks whose entries are all before {@link #first()}, so its cost is amortised O(1) per
 * entry.
 */
final class EntryTable {

    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_ENTRIES = 1 << CHUNK_SHIFT;
    private static final long CHUNK_MASK = CHUNK_ENTRIES - 1;
    private static final int TERM = 0;
    private static final int LOCATION = 1;
    /** The id's length in the high 32 bits, the data's in the low 32. */
    private static final int LENGTHS = 2;
    private static final int MAPPER = 3;
    private static final int FIELDS = 4;

    private long[][] chunks = new long[0][];
    /** The index of the first slot of {@code chunks[0]}: a multiple of the chunk size. */
    private long chunkBase;
    private long first;
    private long end;

    /** The index of the first entry held. */
    long first() {
        return first;
    }

    /** One past the index of the last entry held. */
    long end() {
        return end;
    }

    /** Adds the entry at {@link #end()}. */
    void add(long term, long location, int idLength, int dataLength, int mapper) {
        int chunk = chunkOf(end);
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(4, chunks.length * 2));
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new long[CHUNK_ENTRIES * FIELDS];
        }
        int base = slot(end);
        long[] fields = chunks[chunk];
        fields[base + TERM] = term;
        fields[base + LOCATION] = location;
        fields[base + LENGTHS] = (long) idLength << 32 | Integer.toUnsignedLong(dataLength);
        fields[base + MAPPER] = mapper;
        end++;
    }

    /** Forgets the entries from {@code newEnd} on; their chunks are reused by later appends. */
    void truncate(long newEnd) {
        end = newEnd;
    }

    /** Forgets the entries before {@code newFirst}, at most {@link #end()}, freeing the chunks they filled. */
    void compactTo(long newFirst) {
        int dropped = chunkOf(newFirst & ~CHUNK_MASK);
        if (dropped > 0) {
            int kept = chunks.length - dropped;
            System.arraycopy(chunks, dropped, chunks, 0, kept);
            Arrays.fill(chunks, kept, chunks.length, null);
            chunkBase += (long) dropped << CHUNK_SHIFT;
        }
        first = newFirst;
    }

    /** Forgets every entry; the next one added has index {@code newFirst}. */
    void reset(long newFirst) {
        Arrays.fill(chunks, null);
        chunkBase = newFirst & ~CHUNK_MASK;
        first = newFirst;
        end = newFirst;
    }

    long term(long index) {
        return field(index, TERM);
    }

    long location(long index) {
        return field(index, LOCATION);
    }

    int idLength(long index) {
        return (int) (field(index, LENGTHS) >>> 32);
    }

    int dataLength(long index) {
        return (int) field(index, LENGTHS);
    }

    int mapper(long index) {
        return (int) field(index, MAPPER);
    }

    private long field(long index, int field) {
        return chunks[chunkOf(index)][slot(index) + field];
    }

    private int chunkOf(long index) {
        return Math.toIntExact((index - chunkBase) >>> CHUNK_SHIFT);
    }

    private static int slot(long index) {
        return (int) (index & CHUNK_MASK) * FIELDS;
    }
}
