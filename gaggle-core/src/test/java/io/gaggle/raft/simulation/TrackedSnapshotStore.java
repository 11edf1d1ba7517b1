package io.gaggle.raft.simulation;

import java.io.IOException;
import java.util.List;

import io.gaggle.raft.SnapshotContent;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotStore;
import io.gaggle.raft.SnapshotWriter;

/**
 * A node's snapshot store in the simulation: its storage's, remembering whether a snapshot from
 * the leader is half-received, and counting what befell such transfers, so a test can require
 * that the interesting paths ran.
 */
final class TrackedSnapshotStore implements SnapshotStore {

    private final SnapshotStore store;
    private final SnapshotCounts counts;
    private boolean receiving;

    TrackedSnapshotStore(SnapshotStore store, SnapshotCounts counts) {
        this.store = store;
        this.counts = counts;
    }

    /** Whether a snapshot from the leader is half-received. */
    boolean receiving() {
        return receiving;
    }

    @Override
    public SnapshotMeta latest() {
        return store.latest();
    }

    @Override
    public SnapshotContent openLatest() throws IOException {
        return store.openLatest();
    }

    @Override
    public byte[] readChunk(long offset, int maxBytes) {
        return store.readChunk(offset, maxBytes);
    }

    @Override
    public SnapshotWriter write(long index, long term, List<String> recentEntryIds) throws IOException {
        return store.write(index, term, recentEntryIds);
    }

    @Override
    public boolean receiveChunk(long index, long term, long offset, byte[] chunk) {
        if (offset == 0 && receiving) {
            counts.restartedFromZero++;
        }
        boolean taken = store.receiveChunk(index, term, offset, chunk);
        if (taken) {
            receiving = true;
        } else {
            counts.chunksRefused++;
        }
        return taken;
    }

    @Override
    public long receivedBytes(long index, long term) {
        return store.receivedBytes(index, term);
    }

    @Override
    public SnapshotMeta completeReceived() {
        receiving = false;
        SnapshotMeta meta = store.completeReceived();
        if (meta != null) {
            counts.received++;
        }
        return meta;
    }

    @Override
    public void discardReceived() {
        if (receiving) {
            counts.interruptedByNewTerm++;
        }
        receiving = false;
        store.discardReceived();
    }

    @Override
    public void close() {
        store.close();
    }
}
