package io.gaggle.storage;

import io.gaggle.raft.SnapshotMeta;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The transfer format of a snapshot, the same on disk and on the wire: {@code [int magic][int
 * version][long index][long term][int id count]([int length][UTF-8 id])*}, the content, then
 * {@code [int CRC32C]} of everything before it. Its header and checksum are checked only once the
 * whole snapshot is there, which is when a node opens it or the leader says it sent all of it.
 */
final class SnapshotFormat {

    static final int TRAILER_BYTES = 4;
    private static final int MAGIC = 0x4747534E; // "GGSN"
    private static final int VERSION = 1;
    /** Magic, version, index, term and id count. */
    private static final int FIXED_HEADER_BYTES = 28;
    private static final int READ_BYTES = 64 << 10;

    /** What a snapshot's header says, and where its content starts. */
    record Header(long index, long term, List<String> recentEntryIds, int length) {

        SnapshotMeta meta(long totalSize) {
            return new SnapshotMeta(index, term, totalSize - length - TRAILER_BYTES, recentEntryIds);
        }
    }

    /** A snapshot that is not whole and intact: {@code what} is wrong at byte {@code offset}. */
    static final class Damage extends Exception {

        final long offset;

        Damage(long offset, String what) {
            super(what, null, false, false);
            this.offset = offset;
        }
    }

    private SnapshotFormat() {
    }

    static byte[] header(long index, long term, List<String> recentEntryIds) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(header)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(index);
            out.writeLong(term);
            out.writeInt(recentEntryIds.size());
            for (String id : recentEntryIds) {
                byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return header.toByteArray();
    }

    static byte[] trailer(CRC32C crc) {
        return ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue()).array();
    }

    /**
     * Checks {@code bytes} as {@link #check(SnapshotBytes)} does, and that its header is of the
     * snapshot at {@code index} and {@code term}; {@code where} ends the message when it is not.
     */
    static Header check(SnapshotBytes bytes, long index, long term, String where) throws IOException, Damage {
        Header header = check(bytes);
        if (header.index() != index || header.term() != term) {
            throw new Damage(8, "its header says index " + header.index() + " term " + header.term() + where);
        }
        return header;
    }

    /**
     * Reads the header of a complete snapshot and checks its checksum, reading it all once.
     *
     * @throws Damage if the bytes are not a whole, intact snapshot
     */
    static Header check(SnapshotBytes bytes) throws IOException, Damage {
        long size = bytes.size();
        if (size < FIXED_HEADER_BYTES + TRAILER_BYTES) {
            throw new Damage(size, "the snapshot is " + size + " bytes long, shorter than the smallest snapshot");
        }
        long end = size - TRAILER_BYTES;
        Header header = readHeader(bytes, end);
        CRC32C crc = new CRC32C();
        byte[] block = new byte[READ_BYTES];
        for (long position = 0; position < end;) {
            int read = bytes.read(position, block, 0, (int) Math.min(block.length, end - position));
            if (read < 0) {
                throw new Damage(position, "the snapshot ends early");
            }
            crc.update(block, 0, read);
            position += read;
        }
        byte[] trailer = new byte[TRAILER_BYTES];
        readFully(bytes, end, trailer);
        if (ByteBuffer.wrap(trailer).getInt() != (int) crc.getValue()) {
            throw new Damage(end, "its checksum does not match its content");
        }
        return header;
    }

    private static Header readHeader(SnapshotBytes bytes, long end) throws IOException, Damage {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new Range(bytes, 0, end)));
        long offset = 0;
        try {
            if (in.readInt() != MAGIC) {
                throw new Damage(0, "it does not start as a Gaggle snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new Damage(4, "its format version is " + version + ", this Gaggle reads version " + VERSION);
            }
            long index = in.readLong();
            long term = in.readLong();
            int count = in.readInt();
            offset = FIXED_HEADER_BYTES;
            if (count < 0 || count > (end - offset) / 4) {
                throw new Damage(offset - 4, "the count of entry ids " + count + " does not fit the snapshot");
            }
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = in.readInt();
                offset += 4;
                if (length < 0 || length > end - offset) {
                    throw new Damage(offset - 4, "an entry id's length " + length + " does not fit the snapshot");
                }
                byte[] utf8 = new byte[length];
                in.readFully(utf8);
                offset += length;
                ids.add(new String(utf8, StandardCharsets.UTF_8));
            }
            return new Header(index, term, ids, (int) offset);
        } catch (EOFException e) {
            throw new Damage(end, "the snapshot ends before its header does");
        }
    }

    static void readFully(SnapshotBytes bytes, long position, byte[] into) throws IOException {
        for (int filled = 0; filled < into.length;) {
            int read = bytes.read(position + filled, into, filled, into.length - filled);
            if (read < 0) {
                throw new EOFException("a snapshot ends at " + (position + filled));
            }
            filled += read;
        }
    }

    /** The bytes from {@code position} up to {@code end} as a stream. */
    static class Range extends InputStream {

        private final SnapshotBytes bytes;
        private final long end;
        private long position;

        Range(SnapshotBytes bytes, long position, long end) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int read = bytes.read(position, into, offset, (int) Math.min(length, end - position));
            if (read > 0) {
                position += read;
            }
            return read;
        }
    }
}
