package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots in a storage directory, beside the log (Raft paper §7), one file each:
 * {@code snapshot-<index, 20 digits>-<term>.snap}, in the transfer format. A snapshot is written
 * (taken: {@code .tmp}; received from the leader: {@code .partial}) under a temporary name,
 * streamed to disk, forced, renamed to its name and the directory synced: so a file with a
 * snapshot's name is always whole, and only the latest is kept.
 * <p>
 * At open, temporary files, a crash's leftovers, are deleted, and so are snapshots older than the
 * latest, which a crash may leave between the rename of a new one and their deletion. A latest
 * snapshot that fails its check is refused with a {@link Corruption} message, even if an older
 * complete one is there: no crash damages a renamed, forced file, and the log may already have
 * been compacted up to the newer snapshot, so the older one could not be used with it.
 * <p>
 * The store neither locks nor closes the directory: its owner, which shares it with the log, does.
 */
public final class FileSnapshotStore extends AbstractSnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final String PREFIX = "snapshot-";
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d+)\\.snap");
    private static final String TAKEN_SUFFIX = ".tmp";
    private static final String RECEIVED_SUFFIX = ".partial";

    private final StorageDirectory directory;

    private FileSnapshotStore(StorageDirectory directory) {
        this.directory = directory;
    }

    /**
     * Opens the snapshots in {@code directory}, which its owner has locked: finds the latest and
     * deletes the rest.
     *
     * @throws StorageException if the directory cannot be read or the latest snapshot is damaged
     */
    public static FileSnapshotStore open(StorageDirectory directory) {
        FileSnapshotStore store = new FileSnapshotStore(directory);
        try {
            store.recover();
            return store;
        } catch (IOException e) {
            store.close();
            throw new StorageException("Gaggle storage " + directory + ": cannot open the snapshots: " + e, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static String name(long index, long term) {
        return String.format("snapshot-%020d-%d.snap", index, term);
    }

    @Override
    SnapshotBytes create(long index, long term, boolean received) throws IOException {
        String name = name(index, term) + (received ? RECEIVED_SUFFIX : TAKEN_SUFFIX);
        StorageFile file = directory.open(name);
        if (file.size() > 0) {
            file.truncate(0);
        }
        return new SnapshotFile(name, file);
    }

    @Override
    String where() {
        return directory.toString();
    }

    private void recover() throws IOException {
        List<String> snapshots = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        for (String name : directory.list()) {
            if (NAME.matcher(name).matches()) {
                snapshots.add(name);
            } else if (name.startsWith(PREFIX)) {
                leftovers.add(name);
            }
        }
        snapshots.sort(Comparator.comparingLong((String name) -> number(name, 1))
                .thenComparingLong(name -> number(name, 2)).reversed());
        if (!snapshots.isEmpty()) {
            recoverLatest(snapshots.get(0));
            leftovers.addAll(snapshots.subList(1, snapshots.size()));
        }
        for (String leftover : leftovers) {
            directory.delete(leftover);
        }
        if (!leftovers.isEmpty()) {
            directory.sync();
            LOG.info("Gaggle storage {}: deleted {}, older or unfinished snapshots a crash left", directory, leftovers);
        }
    }

    private void recoverLatest(String name) throws IOException {
        SnapshotFile file = new SnapshotFile(name, directory.open(name));
        try {
            SnapshotFormat.Header header = SnapshotFormat.check(file, number(name, 1), number(name, 2),
                    ", not what its name says");
            recovered(file, header);
        } catch (SnapshotFormat.Damage e) {
            file.close();
            throw Corruption.refuse(directory + "/" + name, e.offset, e.getMessage());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static long number(String name, int group) {
        Matcher matcher = NAME.matcher(name);
        matcher.matches();
        return Long.parseLong(matcher.group(group));
    }

    /** One snapshot's file; appends go straight to disk, so a large snapshot never sits on the heap. */
    private final class SnapshotFile implements SnapshotBytes {

        private String name;
        private final StorageFile file;

        SnapshotFile(String name, StorageFile file) {
            this.name = name;
            this.file = file;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public int read(long position, byte[] into, int offset, int length) throws IOException {
            return file.read(position, ByteBuffer.wrap(into, offset, length));
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            file.append(ByteBuffer.wrap(bytes, offset, length));
        }

        /** Cuts the space the file filled ahead, so that its length is the snapshot's, then forces and renames it. */
        @Override
        public void makeDurable(long index, long term) throws IOException {
            file.truncate(file.size());
            file.force();
            String durableName = name(index, term);
            directory.rename(name, durableName);
            directory.sync();
            name = durableName;
        }

        @Override
        public void delete() throws IOException {
            file.close();
            directory.delete(name);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
