package io.gaggle.storage;

import java.io.IOException;
import java.nio.file.Path;

import io.gaggle.raft.RaftLog;
import io.gaggle.raft.SnapshotStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * Storage in a directory of files, so that a node that restarts, even after {@code kill -9} or a
 * power loss, comes back with the term, vote and log it had acknowledged (Raft paper, Figure 2,
 * and §5.2-5.4: a node that forgets its vote can vote twice in a term; one that forgets entries it
 * acknowledged can lose committed entries).
 * <p>
 * On disk:
 * <ul>
 * <li>{@code state}: the term and vote, with a CRC32C. It is replaced whole (temporary file, fsync,
 * rename, fsync of the directory), so a crash leaves the old one or the new one.</li>
 * <li>{@code log-<first index>.seg}: the log, in append-only segments of about 64 MiB. Each
 * record carries its length and a CRC32C of its content, because a crash mid-write leaves the last
 * record incomplete: recovery cuts such a torn tail off (it was written after the last sync, so
 * never acknowledged) and refuses to start on damage anywhere else, which no crash produces. The
 * last segment ends in zeros, space filled a few MiB ahead of the appends so that an fsync need
 * not also record a longer file. A segment's header gives the term of the entry before its first,
 * so after compaction has deleted the earlier segments the log starts at its first segment's
 * first index (Raft paper, §7).</li>
 * <li>{@code log-reset}: present only while the log is being replaced by an empty one that
 * continues after a snapshot; recovery finishes such a reset ({@link LogReset}).</li>
 * <li>{@code lock}: held while the store is open, so two processes never share a directory.</li>
 * </ul>
 * {@link #sync} writes the term and vote before the log, so that no entry on disk is of a term
 * the state file does not know. Reads are served from memory: the whole retained log is loaded at
 * open.
 */
public final class FileRaftStorage implements RaftStorage {

    /** Segments roll over at this size. */
    static final long SEGMENT_BYTES = 64L << 20;

    private final StorageDirectory directory;
    private final FileRaftLog log;
    private final FileSnapshotStore snapshots;
    private long term;
    private String votedFor;
    private boolean stateChanged;
    /** The term the state file on disk holds. */
    private long termOnDisk;
    private boolean closed;

    /** Reads the state file, then recovers the log, which saves the state before it writes anything. */
    private FileRaftStorage(StorageDirectory directory, JsonMapper mapper, long segmentBytes, int writeBufferBytes)
            throws IOException {
        this.directory = directory;
        StateFile.TermAndVote state = StateFile.decode(directory.read(StateFile.NAME),
                directory + "/" + StateFile.NAME);
        this.term = state.term();
        this.votedFor = state.votedFor();
        this.termOnDisk = state.term();
        this.snapshots = FileSnapshotStore.open(directory);
        try {
            this.log = LogRecovery.recover(directory, mapper, segmentBytes, writeBufferBytes, this::saveStateFirst);
        } catch (IOException | RuntimeException e) {
            snapshots.close();
            throw e;
        }
    }

    /**
     * Opens the store in {@code directory}, creating it if missing, and recovers what it holds.
     * Recovered entries read their data with {@code mapper}.
     *
     * @throws StorageException if the directory cannot be used, is in use, or holds damaged files
     */
    public static FileRaftStorage open(Path directory, JsonMapper mapper) {
        return open(new FileSystemDirectory(directory), mapper);
    }

    /**
     * Opens the store in {@code directory}, as {@link #open(Path, JsonMapper)}; for a directory
     * other than the file system's, such as a simulation's that loses what a crash would lose.
     * The store closes the directory when it closes, or when it fails to open.
     */
    public static FileRaftStorage open(StorageDirectory directory, JsonMapper mapper) {
        return open(directory, mapper, SEGMENT_BYTES);
    }

    /** Opens the store with segments rolling over at {@code segmentBytes}, so tests can cross them. */
    static FileRaftStorage open(StorageDirectory directory, JsonMapper mapper, long segmentBytes) {
        return open(directory, mapper, segmentBytes, FileRaftLog.WRITE_BUFFER_BYTES);
    }

    /**
     * Opens the store with segments of {@code segmentBytes} and a log write buffer of
     * {@code writeBufferBytes}, so tests can fill the buffer within one turn.
     */
    static FileRaftStorage open(StorageDirectory directory, JsonMapper mapper, long segmentBytes,
            int writeBufferBytes) {
        try {
            directory.lock();
            FileRaftStorage storage = new FileRaftStorage(directory, mapper, segmentBytes, writeBufferBytes);
            long lastTerm = storage.log.term(storage.log.lastIndex());
            if (lastTerm > storage.term) {
                storage.snapshots.close();
                storage.log.close();
                throw new StorageException("Gaggle storage cannot open " + directory
                        + ": the log holds entries of term "
                        + lastTerm + " but the state file says the current term is " + storage.term
                        + ", which the order of writes rules out; the files were changed or mixed from different "
                        + "directories. Restore the directory from a backup");
            }
            return storage;
        } catch (IOException | RuntimeException e) {
            closeQuietly(directory, e);
            if (e instanceof StorageException storageException) {
                throw storageException;
            }
            throw new StorageException("Gaggle storage " + directory + ": cannot open: " + e, e);
        }
    }

    @Override
    public RaftLog log() {
        return log;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public String votedFor() {
        return votedFor;
    }

    @Override
    public void saveTermAndVote(long term, String votedFor) {
        this.term = term;
        this.votedFor = votedFor;
        stateChanged = true;
    }

    @Override
    public void sync() {
        saveState();
        if (log.dirty()) {
            log.sync();
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** Closes the files and releases the lock, without syncing: what was not synced may be lost. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (directory) {
            snapshots.close();
            log.close();
        } catch (IOException e) {
            throw new StorageException("Gaggle storage " + directory + ": cannot close: " + e, e);
        }
    }

    /** Saves the term and vote if they changed. */
    private void saveState() {
        if (stateChanged) {
            writeState(term, votedFor);
            stateChanged = false;
        }
    }

    /**
     * Before the log writes entries out ahead of the sync (a segment rolls over, the log is cut,
     * the buffer is full), which may reach the disk before the sync does: saves a changed term and
     * vote, and if the entries are of a term still newer than the state file's, as when the
     * runtime saves the term only at the end of its turn, that term with no vote. The vote cast
     * in it, if any, is saved at the sync; until then it has not left the node, so a crash may
     * forget it. Either way no entry reaches a file before its term reaches the state file.
     */
    private void saveStateFirst(long entryTerm) {
        saveState();
        if (entryTerm > termOnDisk) {
            writeState(entryTerm, null);
        }
    }

    private void writeState(long term, String votedFor) {
        try {
            directory.replace(StateFile.NAME, StateFile.encode(term, votedFor));
        } catch (IOException e) {
            throw new StorageException("Gaggle storage " + directory + ": cannot save term " + term + " and vote "
                    + votedFor + ": " + e, e);
        }
        termOnDisk = term;
    }

    private static void closeQuietly(StorageDirectory directory, Exception failure) {
        try {
            directory.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
