package io.gaggle.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The encoding of one log entry in a segment: {@code [int payload length][int CRC32C of the
 * payload][payload: long term, int id length, id UTF-8, data JSON][0-7 zero bytes of padding]}. The
 * length lets recovery find the next record, the CRC tells a whole record from one a crash cut short
 * or the disk damaged. The padding, in neither the length nor the CRC, makes every record start at a
 * multiple of {@value #ALIGNMENT} bytes, as a disk sector does, so that a record's header never
 * crosses a sector: a sector lost at a power loss takes either all of it or none (etcd's WAL pads
 * its frames the same way).
 */
final class LogRecord {

    /** The length and CRC before the payload. */
    static final int HEADER_BYTES = 8;
    /** The term and id length that every payload starts with. */
    static final int MIN_PAYLOAD_BYTES = 12;
    /** The size every record is a multiple of. */
    static final int ALIGNMENT = 8;
    private static final byte[] PADDING = new byte[ALIGNMENT - 1];

    private LogRecord() {
    }

    /** The bytes the record of an entry occupies, padding included. */
    static int size(int idLength, int dataLength) {
        return Math.toIntExact(sizeOf(Math.addExact(MIN_PAYLOAD_BYTES + idLength, dataLength)));
    }

    /** The bytes a record whose length field says {@code payloadLength} occupies, padding included. */
    static long sizeOf(int payloadLength) {
        long unpadded = (long) HEADER_BYTES + payloadLength;
        return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Writes the record at the position of {@code into}, a heap buffer with room for {@link #size} bytes. */
    static void encode(ByteBuffer into, long term, byte[] id, ByteBuffer data, CRC32C crc) {
        int start = into.position();
        int payloadLength = MIN_PAYLOAD_BYTES + id.length + data.remaining();
        into.putInt(payloadLength).putInt(0).putLong(term).putInt(id.length).put(id).put(data);
        // Written out: a reused buffer holds old bytes where the padding goes.
        into.put(PADDING, 0, (int) (sizeOf(payloadLength) - HEADER_BYTES - payloadLength));
        into.putInt(start + 4, crc(into.array(), into.arrayOffset() + start + HEADER_BYTES, payloadLength, crc));
    }

    static int crc(byte[] bytes, int offset, int length, CRC32C crc) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
