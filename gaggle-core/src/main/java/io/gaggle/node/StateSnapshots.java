package io.gaggle.node;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import io.gaggle.Snapshotter;
import io.gaggle.raft.SnapshotContent;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotStore;
import io.gaggle.raft.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's snapshots (Raft paper, §7): taken and restored by the {@link Snapshotter} on
 * the {@link Delivery} thread, in order with the committed listeners, so the state saved at an
 * index is exactly the state after the listeners saw that entry, and a restored state is followed
 * by the entries after it only. Only the delivery thread runs what this class queues, so the
 * index restored, which {@link Listeners} keeps, needs no lock.
 */
final class StateSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(StateSnapshots.class);

    /** What the loop hears of the snapshots, from the delivery thread. */
    interface Outcomes {

        /** The snapshot asked for is durable; {@code meta} is the store's latest. */
        void taken(SnapshotMeta meta);

        /** The snapshot asked for at {@code index} was not taken. */
        void failed(long index);

        /** The application's state is unknown: a restore failed, or there is nothing to restore with. */
        void stateLost(String fault);
    }

    private final String nodeId;
    /** Null for a node without snapshots. */
    private final Snapshotter snapshotter;
    private final SnapshotStore store;
    private final Delivery delivery;
    private final Listeners listeners;
    private final Outcomes outcomes;

    StateSnapshots(String nodeId, Snapshotter snapshotter, SnapshotStore store, Delivery delivery,
            Listeners listeners, Outcomes outcomes) {
        this.nodeId = nodeId;
        this.snapshotter = snapshotter;
        this.store = store;
        this.delivery = delivery;
        this.listeners = listeners;
        this.outcomes = outcomes;
    }

    /** Loop thread: saves the state once the committed entries already handed to listeners were delivered. */
    void due(long index, long term, List<String> recentEntryIds) {
        delivery.add(() -> save(index, term, recentEntryIds));
    }

    /** Loop thread: restores the store's latest snapshot before the entries after it are delivered. */
    void installed(long index) {
        delivery.add(() -> restoreLatest(index));
    }

    /**
     * Before the loop starts: restores the store's latest snapshot, if any, on the delivery thread,
     * and returns once it is restored, so the application's state is back before any entry after it
     * is delivered.
     */
    void restoreAtStart() {
        SnapshotMeta latest = store.latest();
        if (latest != null) {
            delivery.run(() -> restoreLatest(latest.index())).join();
        }
    }

    private void save(long index, long term, List<String> recentEntryIds) {
        if (index < listeners.skippedThrough()) {
            // The state is past the index asked for (or unknown): saving it as of index would be wrong.
            outcomes.failed(index);
            return;
        }
        SnapshotWriter writer = null;
        try {
            writer = store.write(index, term, recentEntryIds);
            try (OutputStream content = writer.content()) {
                snapshotter.save(index, content);
            }
            outcomes.taken(writer.publish());
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                writer.abort();
            }
            LOG.error("Gaggle node {}: the snapshot at index {} failed, so the log keeps the entries it would have "
                    + "dropped until a later snapshot succeeds; the node goes on", nodeId, index, e);
            outcomes.failed(index);
        }
    }

    /** Restores the latest snapshot, the one at {@code index} or a later one published meanwhile. */
    private void restoreLatest(long index) {
        if (snapshotter == null) {
            stateLost("it holds a snapshot at index " + index + " but has no snapshotter to restore it with");
            return;
        }
        try (SnapshotContent content = store.openLatest()) {
            if (content == null) {
                throw new IOException("the snapshot store has no snapshot");
            }
            long restoring = content.meta().index();
            if (restoring <= listeners.skippedThrough()) {
                return; // restored already, or the state is unknown
            }
            snapshotter.restore(restoring, content);
            listeners.skipCommittedThrough(restoring);
        } catch (IOException | RuntimeException e) {
            LOG.error("Gaggle node {}: restoring the snapshot at index {} failed", nodeId, index, e);
            stateLost("restoring the snapshot at index " + index + " failed (" + e + ")");
        }
    }

    /** Delivers nothing more: the application's state is unknown, so no entry can be applied to it. */
    private void stateLost(String reason) {
        listeners.skipCommittedThrough(Long.MAX_VALUE);
        outcomes.stateLost("the application's state is unknown: " + reason);
    }
}
