package io.gaggle.storage;

import io.gaggle.raft.InMemoryRaftLog;
import io.gaggle.raft.RaftLog;
import io.gaggle.raft.SnapshotStore;

/**
 * Storage on the heap, the original's behaviour: nothing survives the process, so a node that
 * restarts comes back with term 0, no vote and an empty log.
 */
public final class MemoryRaftStorage implements RaftStorage {

    private final InMemoryRaftLog log = new InMemoryRaftLog();
    private final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    private long term;
    private String votedFor;

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
    }

    @Override
    public void sync() {
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void close() {
        snapshots.close();
    }
}
