package io.gaggle.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The encoding of one log entry in a segment: {@code [int payload length][int CRC32C of the
 * payload][payload: long term, int id length, id UTF-8, data JSON]}. The length lets recovery find
 * the next record, the CRC tells a whole record from one a crash cut short or the disk damaged.
 */
final class LogRecord {

    /** The length and CRC before the payload. */
    static final int HEADER_BYTES = 8;
    /** The term and id length that every payload starts with. */
    static final int MIN_PAYLOAD_BYTES = 12;

    private LogRecord() {
    }

    static int size(int idLength, int dataLength) {
        return Math.addExact(HEADER_BYTES + MIN_PAYLOAD_BYTES + idLength, dataLength);
    }

    /** Writes the record at the position of {@code into}, a heap buffer with room for {@link #size} bytes. */
    static void encode(ByteBuffer into, long term, byte[] id, ByteBuffer data, CRC32C crc) {
        int start = into.position();
        int payloadLength = MIN_PAYLOAD_BYTES + id.length + data.remaining();
        into.putInt(payloadLength).putInt(0).putLong(term).putInt(id.length).put(id).put(data);
        into.putInt(start + 4, crc(into.array(), into.arrayOffset() + start + HEADER_BYTES, payloadLength, crc));
    }

    static int crc(byte[] bytes, int offset, int length, CRC32C crc) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
