package io.gaggle.raft;

import io.gaggle.LogEntry;

/**
 * An append made on this node and not yet committed in its log.
 */
final class PendingAppend {

    final LogEntry entry;
    final long deadline;
    /** When it was last passed to a leader other than this node; {@code Long.MIN_VALUE} if never. */
    long forwardedAt = Long.MIN_VALUE;

    PendingAppend(LogEntry entry, long deadline) {
        this.entry = entry;
        this.deadline = deadline;
    }
}
