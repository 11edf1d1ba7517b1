package io.gaggle.spring;

import io.gaggle.Gaggle;
import io.gaggle.LogEntry;

/**
 * An entry was committed: published on every node, once per entry and in log order, as the
 * original's {@code committed} event. Apply entries to replicated state from here.
 */
public class GaggleCommittedEvent extends GaggleEntryEvent {

    /**
     * @param node the node that observed the entry
     * @param entry the entry
     * @param index its position in the log
     */
    public GaggleCommittedEvent(Gaggle node, LogEntry entry, long index) {
        super(node, entry, index);
    }
}
