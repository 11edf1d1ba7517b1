package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link StorageDirectory} on the file system, through {@link FileChannel}. Durability rests on
 * fsync: a file's {@link StorageFile#force} is an fdatasync, {@link #sync} an fsync of the
 * directory itself (which Linux supports), so that created, renamed and deleted names survive a
 * power loss.
 */
public final class FileSystemDirectory implements StorageDirectory {

    static final String LOCK_FILE = "lock";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path path;
    private FileChannel lockChannel;
    private FileLock lock;

    /**
     * The directory at {@code path}, created with its parents if missing.
     *
     * @throws StorageException if it cannot be created
     */
    public FileSystemDirectory(Path path) {
        this.path = path.toAbsolutePath();
        try {
            Files.createDirectories(this.path);
        } catch (IOException e) {
            throw new StorageException("Gaggle storage " + this.path + ": cannot create the directory: " + e, e);
        }
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    @Override
    public StorageFile open(String name) throws IOException {
        return new FileSystemFile(FileChannel.open(path.resolve(name),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public byte[] read(String name) throws IOException {
        try {
            return Files.readAllBytes(path.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void replace(String name, byte[] content) throws IOException {
        Path temporary = path.resolve(name + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        rename(temporary.getFileName().toString(), name);
        sync();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(path.resolve(from), path.resolve(to), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(path.resolve(name));
    }

    @Override
    public void sync() throws IOException {
        try (FileChannel directory = FileChannel.open(path, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    @Override
    public void lock() throws IOException {
        Path lockFile = path.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new StorageException("Gaggle storage " + path + " is already open in this process (lock file "
                    + lockFile + "); give each node its own directory, or close the node that uses it first");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (taken == null) {
            channel.close();
            throw new StorageException("Gaggle storage " + path + " is in use by another process (lock file "
                    + lockFile + "); give each node its own directory, or stop the process that uses it first");
        }
        lockChannel = channel;
        lock = taken;
    }

    /** Releases the lock, if taken. */
    @Override
    public void close() throws IOException {
        if (lockChannel != null) {
            try {
                lock.release();
            } finally {
                lockChannel.close();
                lockChannel = null;
                lock = null;
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /**
     * A file of this directory. Its appends go into space it has already filled with zeros, a few
     * MiB ahead: an fdatasync after a write that grows a file must also commit the new size to the
     * file system's journal, and on ext4 that makes it several times slower than one after a write
     * within the file's length. Recovery reads the zeros after the last record as the file's end.
     */
    private static final class FileSystemFile implements StorageFile {

        private static final int PREALLOCATION_BYTES = 4 << 20;
        private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 << 10);

        private final FileChannel channel;
        /** Where appends go: the end of what was appended, before the zeros. */
        private long size;
        /** The length of the file, zeros included. */
        private long allocated;

        FileSystemFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            this.allocated = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, ByteBuffer into) throws IOException {
            return channel.read(into, position);
        }

        @Override
        public void append(ByteBuffer bytes) throws IOException {
            if (size + bytes.remaining() > allocated) {
                preallocate(size + bytes.remaining() + PREALLOCATION_BYTES);
            }
            while (bytes.hasRemaining()) {
                size += channel.write(bytes, size);
            }
        }

        private void preallocate(long length) throws IOException {
            while (allocated < length) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), length - allocated));
                allocated += channel.write(zeros, allocated);
            }
        }

        /** Cuts the file itself, zeros and all: what lay beyond {@code newSize} must not come back. */
        @Override
        public void truncate(long newSize) throws IOException {
            channel.truncate(newSize);
            size = Math.min(size, newSize);
            allocated = Math.min(allocated, newSize);
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
