package io.gaggle.raft;

import io.gaggle.LogEntry;

/**
 * An append made on this node and not yet committed in its log.
 */
final class PendingAppend {

    final LogEntry entry;
    /** When it was last passed to a leader other than this node; {@code Long.MIN_VALUE} if never. */
    long forwardedAt = Long.MIN_VALUE;
    /**
     * No committed entry up to this index is this append: what {@link AppendForwardRequest#absentThrough()}
     * says of it. First the commit index when it was made, since it can only be appended after that.
     */
    long absentThrough;

    PendingAppend(LogEntry entry, long absentThrough) {
        this.entry = entry;
        this.absentThrough = absentThrough;
    }
}
