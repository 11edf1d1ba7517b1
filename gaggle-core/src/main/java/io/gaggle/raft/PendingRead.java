package io.gaggle.raft;

/**
 * A read barrier made on this node: first it waits for the leader's read index, then for this
 * node to apply up to it.
 */
final class PendingRead {

    /** Whether the leader's read index arrived; it may be -1, on an empty log. */
    boolean known;
    long readIndex;
    /** When it was last offered to a leader, this node included; {@code Long.MIN_VALUE} if never. */
    long sentAt = Long.MIN_VALUE;
}
