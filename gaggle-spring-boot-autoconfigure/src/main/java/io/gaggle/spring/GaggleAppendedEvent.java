package io.gaggle.spring;

import io.gaggle.Gaggle;
import io.gaggle.LogEntry;

/**
 * The leader appended an entry to its log; it is not committed yet. Published on the leader only,
 * as the original's {@code appended} event.
 */
public class GaggleAppendedEvent extends GaggleEntryEvent {

    /**
     * @param node the node that observed the entry
     * @param entry the entry
     * @param index its position in the log
     */
    public GaggleAppendedEvent(Gaggle node, LogEntry entry, long index) {
        super(node, entry, index);
    }
}
