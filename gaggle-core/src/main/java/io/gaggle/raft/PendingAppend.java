package io.gaggle.raft;

import io.gaggle.LogEntry;

/**
 * An append made on this node and not yet committed in its log.
 */
final class PendingAppend {

    final LogEntry entry;
    /** When it was last passed to a leader other than this node; {@code Long.MIN_VALUE} if never. */
    long forwardedAt = Long.MIN_VALUE;

    PendingAppend(LogEntry entry) {
        this.entry = entry;
    }
}
