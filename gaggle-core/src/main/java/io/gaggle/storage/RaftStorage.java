package io.gaggle.storage;

import io.gaggle.raft.RaftLog;
import io.gaggle.raft.SnapshotStore;

/**
 * Where a node keeps what Raft requires to survive a restart: the current term, the vote cast in
 * it and the log (Raft paper, Figure 2, "persistent state on all servers").
 * <p>
 * Writes are buffered: {@link RaftLog#append}, {@link RaftLog#truncateFrom} and
 * {@link #saveTermAndVote} change what the node reads at once, and {@link #sync} makes all of it
 * durable. The node's runtime syncs once per loop turn, before any message that depends on the
 * turn's writes leaves the node (group commit), so one fsync covers everything a turn wrote.
 * <p>
 * Used by one thread at a time, the node's loop thread.
 */
public interface RaftStorage extends AutoCloseable {

    /** The log, as recovered when the storage was opened, then as the node changes it. */
    RaftLog log();

    /**
     * The snapshots beside the log (Raft paper, §7): in memory, or in the same directory. The log
     * is compacted only up to the latest snapshot's index, so the two together always hold every
     * committed entry. Closed with this storage.
     */
    SnapshotStore snapshots();

    /** The current term: as recovered at open, then as last saved; 0 for a new store. */
    long term();

    /** The vote cast in {@link #term()}, or null. */
    String votedFor();

    /**
     * Records the term and vote; durable after the next {@link #sync}. The runtime calls it only
     * when either changed.
     */
    void saveTermAndVote(long term, String votedFor);

    /**
     * Makes everything written since the last sync durable, term and vote before log entries, so
     * that no entry on disk is of a term the store does not know. Returns once it is on disk;
     * nothing to do returns at once.
     *
     * @throws StorageException if the disk failed; the node must stop, since what it wrote may be lost
     */
    void sync();

    /** Whether what this storage holds survives a restart of the process. */
    boolean durable();

    /** Releases files and locks; what was not synced may be lost. */
    @Override
    void close();
}
