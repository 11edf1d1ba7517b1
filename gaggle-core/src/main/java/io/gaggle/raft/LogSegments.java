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
 * the low 32.
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
    private final List<byte[]> segments = new ArrayList<>();
    private byte[] tail = new byte[0];
    private int tailSegment = -1;
    private int tailUsed;
    private int nextSegmentBytes;

    LogSegments(int firstSegmentBytes, int maxSegmentBytes) {
        this.nextSegmentBytes = firstSegmentBytes;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    /** Writes {@code id} then the remaining bytes of {@code data}; returns the location of the id. */
    long append(byte[] id, ByteBuffer data) {
        int length = Math.addExact(id.length, data.remaining());
        if (length > maxSegmentBytes) {
            // Its own segment, so the tail's free space is not wasted.
            byte[] segment = new byte[length];
            segments.add(segment);
            write(segment, 0, id, data);
            return location(segments.size() - 1, 0);
        }
        if (length > tail.length - tailUsed) {
            // The tail's free space is left unused: the bytes before it may be referenced.
            tail = new byte[Math.max(length, nextSegmentBytes)];
            segments.add(tail);
            tailSegment = segments.size() - 1;
            tailUsed = 0;
            // Double the footprint, header included, so sizes stay just under powers of two.
            int doubled = (nextSegmentBytes + ARRAY_HEADER_ROOM) * 2 - ARRAY_HEADER_ROOM;
            nextSegmentBytes = Math.min(maxSegmentBytes, doubled);
        }
        int offset = tailUsed;
        write(tail, offset, id, data);
        tailUsed += length;
        return location(tailSegment, offset);
    }

    /** The segment holding the entry at {@code location}. */
    byte[] segment(long location) {
        return segments.get((int) (location >>> 32));
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
