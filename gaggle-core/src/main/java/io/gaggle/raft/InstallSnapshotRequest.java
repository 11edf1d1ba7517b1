package io.gaggle.raft;

/**
 * One chunk of the leader's latest snapshot, for a follower whose log lacks entries the leader
 * has compacted away (Raft paper, §7, InstallSnapshot). The chunks carry the snapshot in its
 * transfer format ({@link SnapshotStore}) and are streamed into the follower's store, never
 * assembled on its heap; the follower answers each with an {@link InstallSnapshotResponse}.
 *
 * @param term the leader's current term
 * @param index the last index the snapshot covers
 * @param snapshotTerm the term of the entry at {@code index}
 * @param offset where {@code data} starts in the snapshot's transfer format; 0 starts it afresh
 * @param data the chunk, at most {@link RaftConfig#snapshotChunkBytes()} bytes
 * @param done whether this chunk ends the snapshot
 */
public record InstallSnapshotRequest(long term, long index, long snapshotTerm, long offset, byte[] data,
        boolean done) implements TermMessage {
}
