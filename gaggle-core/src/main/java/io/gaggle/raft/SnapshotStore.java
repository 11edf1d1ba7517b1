package io.gaggle.raft;

import java.io.IOException;
import java.util.List;

/**
 * Where a node keeps its latest snapshot (Raft paper §7): one it took itself, or one received
 * from the leader in chunks (InstallSnapshot). A snapshot is kept in the transfer format, the
 * same bytes on disk and on the wire: a header (magic number, format version, index, term, the
 * recent entry ids), the content, and a CRC32C of all that. So a follower's received file is a
 * snapshot file as it is, checked once whole.
 * <p>
 * Threads: the delivery thread {@link #write}s and publishes the snapshots the node takes; the
 * loop thread reads chunks to send and receives them. {@link #readChunk} always reads the latest
 * snapshot of the moment: a caller sending a snapshot restarts the transfer when
 * {@code latest().index()} changes, and if chunks of two snapshots were mixed meanwhile, the
 * receiver's check at {@link #completeReceived} rejects the result.
 */
public interface SnapshotStore extends AutoCloseable {

    /** The latest complete, durable snapshot, or null if there is none. Thread-safe. */
    SnapshotMeta latest();

    /**
     * Opens the latest snapshot's content (what the snapshotter saved), with its meta, to restore
     * it; null if there is none. The stream keeps reading that snapshot even if a newer one
     * replaces it meanwhile; it is deleted once the stream is closed. Thread-safe.
     */
    SnapshotContent openLatest() throws IOException;

    /**
     * Up to {@code maxBytes} of the latest snapshot in the transfer format, from {@code offset},
     * as a leader sends it; empty at the end, or if there is no snapshot. Loop thread.
     */
    byte[] readChunk(long offset, int maxBytes);

    /**
     * Starts a snapshot this node takes of the entries up to {@code index}, the last of term
     * {@code term}; one at a time, on the delivery thread. The caller bounds {@code recentEntryIds}.
     */
    SnapshotWriter write(long index, long term, List<String> recentEntryIds) throws IOException;

    /**
     * A chunk received from the leader of the snapshot at {@code index} and {@code term}. Offset 0
     * starts it afresh, dropping any other half-received one; a chunk at an offset other than the
     * count of bytes received so far, or of another snapshot, is ignored and gives false (the
     * leader resends from where the follower is). Loop thread.
     */
    boolean receiveChunk(long index, long term, long offset, byte[] chunk);

    /**
     * How many bytes of the snapshot at {@code index} and {@code term} this node has received so
     * far: where the leader should go on from; 0 if it is not the one being received. Loop thread.
     */
    long receivedBytes(long index, long term);

    /**
     * The half-received snapshot is complete, the leader says: checks it, makes it durable and the
     * latest. Returns its meta (or that of a snapshot of the same or a later index that is the
     * latest already and stays), or null if it is incomplete or damaged, in which case it is
     * discarded. Loop thread.
     */
    SnapshotMeta completeReceived();

    /** Drops a half-received snapshot, if any. Loop thread. */
    void discardReceived();

    /** Drops a half-received snapshot and releases the files; the latest snapshot stays. */
    @Override
    void close();
}
