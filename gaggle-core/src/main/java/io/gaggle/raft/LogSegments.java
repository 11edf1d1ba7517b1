package io.gaggle.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only storage for the bytes of log entries (id, then data), in large {@code byte[]}
 * segments rather than arrays per entry. Once the log has grown, its segments are at least half a
 * G1 region (for regions up to 4 MiB: heaps under 16 GiB), so G1 allocates them as humongous
 * objects straight into the old generation, where young collections never copy them. Bytes once
 * written never change: an entry handed out as a view over a segment stays valid after the log is
 * truncated.
 * <p>
 * An entry's place is a <em>location</em>: its segment number in the high 32 bits, its offset in
 * the low 32. Segment numbers only grow: when compaction releases the leading segments, the
 * locations of the entries in later ones stay valid.
 */
final class LogSegments {

    /**
     * Segment sizes stay this much under a power of two so that, with the array header, a segment
     * fills whole G1 regions: 4 MiB plus a header would take a second region and waste it.
     */
    private static final int ARRAY_HEADER_ROOM = 64;
    /** Small logs (tests, short-lived nodes) stay small; segments double from here. */
    static final int FIRST_SEGMENT_BYTES = 64 * 1024 - ARRAY_HEADER_ROOM;
    static final int MAX_SEGMENT_BYTES = 4 * 1024 * 1024 - ARRAY_HEADER_ROOM;

    private final int maxSegmentBytes;
    /** The segments not yet released, oldest first. */
    private final List<byte[]> segments = new ArrayList<>();
    /**
     * The highest log index whose bytes each retained segment holds, in step with {@link #segments};
     * for the tail, as of when it stopped being the tail: while it is, {@link #tailLastIndex} holds
     * it, so an append boxes nothing.
     */
    private final List<Long> lastIndexes = new ArrayList<>();
    private long tailLastIndex;
    /** The number of the first retained segment. */
    private int released;
    private byte[] tail = new byte[0];
    private int tailSegment = -1;
    private int tailUsed;
    private int nextSegmentBytes;

    LogSegments(int firstSegmentBytes, int maxSegmentBytes) {
        this.nextSegmentBytes = firstSegmentBytes;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    /**
     * Writes {@code id} then the remaining bytes of {@code data}, those of the entry at log index
     * {@code index}; returns the location of the id.
     */
    long append(byte[] id, ByteBuffer data, long index) {
        int length = Math.addExact(id.length, data.remaining());
        if (length > maxSegmentBytes) {
            // Its own segment, so the tail's free space is not wasted.
            byte[] segment = new byte[length];
            int number = add(segment, index);
            write(segment, 0, id, data);
            return location(number, 0);
        }
        if (length > tail.length - tailUsed) {
            if (tailSegment >= released) {
                lastIndexes.set(tailSegment - released, tailLastIndex);
            }
            // The tail's free space is left unused: the bytes before it may be referenced.
            tail = new byte[Math.max(length, nextSegmentBytes)];
            tailSegment = add(tail, index);
            tailLastIndex = index;
            tailUsed = 0;
            // Double the footprint, header included, so sizes stay just under powers of two.
            int doubled = (nextSegmentBytes + ARRAY_HEADER_ROOM) * 2 - ARRAY_HEADER_ROOM;
            nextSegmentBytes = Math.min(maxSegmentBytes, doubled);
        }
        int offset = tailUsed;
        tailLastIndex = Math.max(tailLastIndex, index);
        write(tail, offset, id, data);
        tailUsed += length;
        return location(tailSegment, offset);
    }

    /** The segment holding the entry at {@code location}. */
    byte[] segment(long location) {
        return segments.get((int) (location >>> 32) - released);
    }

    /**
     * Releases the leading segments that hold only entries before {@code firstIndex}, the tail
     * excepted while appends still go to it. Views handed out may still reference a released
     * segment; the garbage collector frees it when they are gone.
     */
    void releaseBefore(long firstIndex) {
        while (!segments.isEmpty() && released != tailSegment && lastIndexes.get(0) < firstIndex) {
            segments.remove(0);
            lastIndexes.remove(0);
            released++;
        }
    }

    /** Releases every segment: the log holds no entry any more. */
    void releaseAll() {
        released += segments.size();
        segments.clear();
        lastIndexes.clear();
        tail = new byte[0];
        tailUsed = 0;
        tailSegment = -1;
    }

    /** The number of segments retained. */
    int segmentCount() {
        return segments.size();
    }

    /** The bytes of the segments retained. */
    long retainedBytes() {
        return segments.stream().mapToLong(segment -> segment.length).sum();
    }

    private int add(byte[] segment, long index) {
        segments.add(segment);
        lastIndexes.add(index);
        return released + segments.size() - 1;
    }

    /** Where in its {@link #segment(long)} the entry at {@code location} begins. */
    static int offset(long location) {
        return (int) location;
    }

    private static void write(byte[] segment, int offset, byte[] id, ByteBuffer data) {
        System.arraycopy(id, 0, segment, offset, id.length);
        data.get(segment, offset + id.length, data.remaining());
    }

    private static long location(int segment, int offset) {
        return (long) segment << 32 | offset;
    }
}
