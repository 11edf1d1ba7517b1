package io.gaggle.raft;

import io.gaggle.LogEntry;

/**
 * Encoded size of an entry, to bound the bytes of one AppendEntries batch.
 */
final class EntrySize {

    /** The envelope's per-entry framing: {@code {"id":"","term":N,"data":}}. */
    private static final int ENTRY_OVERHEAD = 40;

    private EntrySize() {
    }

    static int estimate(LogEntry entry) {
        return ENTRY_OVERHEAD + entry.id().length() + entry.dataLength();
    }
}
