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
        Files.move(temporary, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync();
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

    /** A file of this directory; appends go at its end, whose place it keeps to spare a syscall. */
    private static final class FileSystemFile implements StorageFile {

        private final FileChannel channel;
        private long size;

        FileSystemFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
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
            while (bytes.hasRemaining()) {
                size += channel.write(bytes, size);
            }
        }

        @Override
        public void truncate(long newSize) throws IOException {
            channel.truncate(newSize);
            size = Math.min(size, newSize);
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
