package io.gaggle.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One file of a {@link StorageDirectory}, written only at its end. */
public interface StorageFile extends Closeable {

    /** The file's length in bytes, what was appended included, durable or not. */
    long size() throws IOException;

    /**
     * Reads from {@code position} into {@code into}, as {@link java.nio.channels.FileChannel#read(ByteBuffer, long)};
     * returns the number of bytes read, -1 at the end of the file.
     */
    int read(long position, ByteBuffer into) throws IOException;

    /** Writes the remaining bytes of {@code bytes} at the end of the file. */
    void append(ByteBuffer bytes) throws IOException;

    /** Cuts the file to {@code size} bytes; durable after {@link #force}. */
    void truncate(long size) throws IOException;

    /** Makes the file's content and length durable (fdatasync). */
    void force() throws IOException;
}
