package io.gaggle.raft;

/**
 * A read barrier made on this node: first it waits for the leader's read index, then for this
 * node to apply up to it.
 */
final class PendingRead {

    final long deadline;
    /** Whether the leader's read index arrived; it may be -1, on an empty log. */
    boolean known;
    long readIndex;
    /** The leader the request was last sent to, or null. */
    String sentTo;
    long sentAt;

    PendingRead(long deadline) {
        this.deadline = deadline;
    }
}
