package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Replaces the whole log by an empty one that continues after a snapshot (Raft paper, §7), so
 * that a crash at any point leaves the old log or the new one. A small file, written atomically,
 * records the reset first; the segments are then deleted and the new, empty segment created; the
 * file goes last. Recovery that finds the file finishes the reset before it reads the log.
 */
final class LogReset {

    static final String NAME = "log-reset";
    private static final int MAGIC = 0x4747_5253; // "GGRS"
    private static final int BYTES = 20;

    private LogReset() {
    }

    /**
     * Resets the log in {@code directory} to continue after {@code index}, an entry of
     * {@code term}; durable on return.
     */
    static void reset(StorageDirectory directory, long index, long term) throws IOException {
        directory.replace(NAME, record(index, term));
        complete(directory);
    }

    /** The content of the reset file. */
    static byte[] record(long index, long term) {
        return ByteBuffer.allocate(BYTES).putInt(MAGIC).putLong(index).putLong(term).array();
    }

    /**
     * Finishes a reset a crash interrupted, if there was one.
     *
     * @throws StorageException if the reset file is damaged
     */
    static void complete(StorageDirectory directory) throws IOException {
        byte[] content = directory.read(NAME);
        if (content == null) {
            return;
        }
        ByteBuffer record = ByteBuffer.wrap(content);
        if (content.length != BYTES || record.getInt() != MAGIC) {
            throw Corruption.refuse(directory + "/" + NAME, 0, "the file is not a log reset record (" + content.length
                    + " bytes)");
        }
        long index = record.getLong();
        long term = record.getLong();
        for (String name : directory.list()) {
            if (LogSegment.firstIndexOf(name) >= 0) {
                directory.delete(name);
            }
        }
        // The old segments' deletion is durable before a new one of the same name may be created.
        directory.sync();
        String name = LogSegment.name(index + 1);
        try (StorageFile segment = directory.open(name)) {
            segment.append(LogSegment.header(index + 1, term));
            segment.force();
        }
        directory.sync();
        directory.delete(NAME);
        directory.sync();
    }
}
