package io.gaggle.storage;

import java.io.Closeable;
import java.io.IOException;

/** The bytes of one snapshot in the transfer format, in memory or in a file: appended once, then read. */
interface SnapshotBytes extends Closeable {

    /** The count of bytes appended so far. */
    long size() throws IOException;

    /** Reads up to {@code length} bytes from {@code position} into {@code into}; returns the count, -1 at the end. */
    int read(long position, byte[] into, int offset, int length) throws IOException;

    void append(byte[] bytes, int offset, int length) throws IOException;

    /** Makes the bytes durable as the complete snapshot at {@code index} and {@code term}. */
    void makeDurable(long index, long term) throws IOException;

    /** Closes and removes the bytes. */
    void delete() throws IOException;
}
