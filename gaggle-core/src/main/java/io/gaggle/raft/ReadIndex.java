package io.gaggle.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The read requests a leader serves (ReadIndex, Raft thesis §6.4; etcd-io/raft's
 * {@code read_only.go}). A read index is the leader's commit index when the read arrives, and is
 * given out once a majority has answered a heartbeat round sent after that, which proves no newer
 * leader had been elected by then. A new leader fixes no read index until it has committed an
 * entry of its own term: before that its commit index may lag the previous leader's.
 */
final class ReadIndex {

    private final List<Reader> awaitingTermCommit = new ArrayList<>();
    private final ArrayDeque<ReadConfirmation> confirming = new ArrayDeque<>();
    /** Whether this leader knows its commit index is current: it committed an entry of its term. */
    private boolean termCommitted;
    private boolean roundNeeded;

    /** This node starts leading; {@code termCommitted} if its whole log is known committed. */
    void startLeading(boolean termCommitted) {
        this.termCommitted = termCommitted;
    }

    /** This node stops leading: the reads it was serving are dropped, and their readers ask the next leader. */
    void stopLeading() {
        awaitingTermCommit.clear();
        confirming.clear();
        roundNeeded = false;
    }

    /** A read asked of this leader by {@code origin} (this node's own id for its own reads). */
    void request(String origin, String requestId, long commitIndex, long round) {
        Reader reader = new Reader(origin, requestId);
        if (termCommitted) {
            fix(reader, commitIndex, round);
        } else {
            awaitingTermCommit.add(reader);
        }
    }

    /** The leader committed up to {@code commitIndex}, an entry of its own term. */
    void termEntryCommitted(long commitIndex, long round) {
        if (termCommitted) {
            return;
        }
        termCommitted = true;
        awaitingTermCommit.forEach(reader -> fix(reader, commitIndex, round));
        awaitingTermCommit.clear();
    }

    /** The read index is the commit index now; it is given out after the next heartbeat round. */
    private void fix(Reader reader, long commitIndex, long round) {
        confirming.addLast(new ReadConfirmation(reader.origin(), reader.requestId(), commitIndex, round + 1));
        roundNeeded = true;
    }

    /** Whether reads wait for a heartbeat round not yet sent. */
    boolean roundNeeded() {
        return roundNeeded;
    }

    /** A heartbeat round went out: it confirms every read fixed before it. */
    void roundSent() {
        roundNeeded = false;
    }

    /** Gives out, in order, the read indexes whose round a majority has answered. */
    void confirm(FollowerTracker followers, BiConsumer<String, ReadIndexResponse> answer) {
        if (confirming.isEmpty()) {
            return;
        }
        // Answering a read changes no follower's progress: one majority serves the whole queue.
        long acknowledged = followers.roundAcknowledgedByMajority();
        while (!confirming.isEmpty() && confirming.peekFirst().round() <= acknowledged) {
            ReadConfirmation read = confirming.pollFirst();
            answer.accept(read.origin(), new ReadIndexResponse(read.requestId(), read.readIndex()));
        }
    }

    /** Who asked for a read: {@code origin} is the reading node, this leader included. */
    private record Reader(String origin, String requestId) {
    }
}
