package io.gaggle.raft;

import java.util.ArrayDeque;

/**
 * What a leader knows of one follower's log (Raft paper, §5.3: nextIndex and matchIndex), and the
 * AppendEntries it has in flight to it.
 * <p>
 * While <em>probing</em> the leader sends one batch at a time from {@link #nextIndex} until the
 * follower accepts; then it <em>replicates</em>, pipelining up to a bound of batches and advancing
 * {@link #nextIndex} optimistically, as etcd-io/raft does. A follower whose next index the leader's
 * log has compacted away is sent the leader's snapshot instead ({@link #snapshot}, Raft paper §7),
 * and counts as probing meanwhile, so no batch is broadcast for it.
 */
final class FollowerProgress {

    long nextIndex;
    long matchIndex = -1;
    boolean probing = true;
    /** Last index of each unacknowledged batch, oldest first. */
    final ArrayDeque<Long> inflight = new ArrayDeque<>();
    /** When the follower last made progress or the first batch of the in-flight run was sent. */
    long lastProgressAt;
    /** When anything was last heard from the follower. */
    long lastHeardAt;
    /** The latest heartbeat round the follower answered in this term. */
    long ackedRound;
    /** To be sent what it lacks at the end of the leader's turn. */
    boolean due;
    /** The snapshot being sent to the follower, or null while it is sent entries. */
    SnapshotTransfer snapshot;

    FollowerProgress(long nextIndex, long now) {
        this.nextIndex = nextIndex;
        this.lastProgressAt = now;
        this.lastHeardAt = now;
    }

    boolean canSend(int maxInflight) {
        return probing ? inflight.isEmpty() : inflight.size() < maxInflight;
    }

    void sent(long lastIndex, long now) {
        if (inflight.isEmpty()) {
            lastProgressAt = now;
        }
        inflight.addLast(lastIndex);
        if (!probing) {
            nextIndex = lastIndex + 1;
        }
    }

    /** The follower holds everything up to {@code index}; returns whether that is news. */
    boolean acknowledged(long index, long now) {
        // Only the answer to the probe ends probing; a heartbeat's says less (its anchor is the commit index).
        if (probing && snapshot == null && index >= nextIndex - 1) {
            probing = false;
        }
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.pollFirst();
        }
        if (index <= matchIndex) {
            return false;
        }
        matchIndex = index;
        nextIndex = Math.max(nextIndex, index + 1);
        lastProgressAt = now;
        return true;
    }

    /** Sends the follower the snapshot at {@code index} of {@code term}, from its start. */
    SnapshotTransfer sendSnapshot(long index, long term) {
        probeFrom(nextIndex);
        snapshot = new SnapshotTransfer(index, term);
        return snapshot;
    }

    /** The follower's log now continues where the leader's does: entries, not the snapshot, follow. */
    void endSnapshot() {
        snapshot = null;
        probeFrom(matchIndex + 1);
    }

    /**
     * Presumes lost what is in flight without progress for {@code timeout}, or {@code snapshotTimeout}
     * for snapshot chunks, which are larger and slower: resends from what the follower holds.
     */
    void expireInflight(long now, long timeout, long snapshotTimeout) {
        if (snapshot != null) {
            snapshot.expireInflight(now, snapshotTimeout);
        } else if (!inflight.isEmpty() && now - lastProgressAt >= timeout) {
            probeFrom(matchIndex + 1);
        }
    }

    /** Back to probing from {@code next}: what was in flight is presumed lost. */
    void probeFrom(long next) {
        probing = true;
        inflight.clear();
        nextIndex = next;
    }
}
