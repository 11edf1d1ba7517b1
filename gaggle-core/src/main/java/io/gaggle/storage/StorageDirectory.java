package io.gaggle.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The files of one storage directory, in the few operations {@link FileRaftStorage} and
 * {@link FileSnapshotStore} need, with the durability each one has: what a file gains is durable
 * after its {@link StorageFile#force}, files created, renamed or deleted after {@link #sync}, and
 * {@link #replace} is durable and atomic when it returns. The product uses the file system; the
 * simulation substitutes a directory that loses, at a crash, whatever was not yet durable, so that
 * recovery is tested against every crash point.
 */
public interface StorageDirectory extends Closeable {

    /** The names of the files the directory holds, in no particular order. */
    List<String> list() throws IOException;

    /** Opens the named file for reading and appending, creating it empty if it does not exist. */
    StorageFile open(String name) throws IOException;

    /** The whole content of a small file, or null if there is no such file. */
    byte[] read(String name) throws IOException;

    /**
     * Replaces the named file's content, atomically and durably: after a crash the file holds
     * either the old content or the new, whole. (Write a temporary file, force it, rename it over
     * the old one, then sync the directory.)
     */
    void replace(String name, byte[] content) throws IOException;

    /**
     * Renames the file {@code from} to {@code to}, replacing any file named {@code to}, atomically:
     * after a crash the file has one name or the other, never neither nor half its content. The
     * new name is durable after {@link #sync}; the content only if it was forced before.
     */
    void rename(String from, String to) throws IOException;

    /** Deletes the named file, if it exists; durable after {@link #sync}. */
    void delete(String name) throws IOException;

    /** Makes the creation and deletion of files durable (an fsync of the directory). */
    void sync() throws IOException;

    /**
     * Takes the directory for this process, for as long as it is open.
     *
     * @throws StorageException if another process (or another node in this one) holds it
     */
    void lock() throws IOException;
}
