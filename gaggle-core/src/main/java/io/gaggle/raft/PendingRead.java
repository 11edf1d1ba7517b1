package io.gaggle.raft;

/**
 * A read barrier made on this node: first it waits for the leader's read index, then for this
 * node to apply up to it.
 */
final class PendingRead {

    final long deadline;
    /** The leader's read index once known, else -1. */
    long readIndex = -1;
    /** The leader the request was last sent to, or null. */
    String sentTo;
    long sentAt;

    PendingRead(long deadline) {
        this.deadline = deadline;
    }
}
