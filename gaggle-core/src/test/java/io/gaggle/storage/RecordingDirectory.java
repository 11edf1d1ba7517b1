package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StorageDirectory} that passes everything to another and records the operations that
 * write or force, in order, so tests can see what a sync touches; it can also fail the forces.
 * Public for the node's tests, whose node's disk fails under it.
 */
public final class RecordingDirectory implements StorageDirectory {

    final List<String> operations = new ArrayList<>();
    /** When true, every force and directory sync fails as a dying disk's would; set from any thread. */
    public volatile boolean failing;
    private final StorageDirectory directory;

    public RecordingDirectory(StorageDirectory directory) {
        this.directory = directory;
    }

    @Override
    public List<String> list() throws IOException {
        return directory.list();
    }

    @Override
    public StorageFile open(String name) throws IOException {
        StorageFile file = directory.open(name);
        return new StorageFile() {
            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public int read(long position, ByteBuffer into) throws IOException {
                return file.read(position, into);
            }

            @Override
            public void append(ByteBuffer bytes) throws IOException {
                operations.add("append " + name);
                file.append(bytes);
            }

            @Override
            public void truncate(long size) throws IOException {
                operations.add("truncate " + name);
                file.truncate(size);
            }

            @Override
            public void force() throws IOException {
                operations.add("force " + name);
                failIfFailing();
                file.force();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public byte[] read(String name) throws IOException {
        return directory.read(name);
    }

    @Override
    public void replace(String name, byte[] content) throws IOException {
        operations.add("replace " + name);
        failIfFailing();
        directory.replace(name, content);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        operations.add("rename " + from + " " + to);
        directory.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
        operations.add("delete " + name);
        directory.delete(name);
    }

    @Override
    public void sync() throws IOException {
        operations.add("sync directory");
        failIfFailing();
        directory.sync();
    }

    @Override
    public void lock() throws IOException {
        directory.lock();
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    private void failIfFailing() throws IOException {
        if (failing) {
            throw new IOException("Input/output error");
        }
    }
}
