package io.gaggle.spring;

import io.gaggle.Gaggle;
import io.gaggle.LogEntry;

/**
 * An event about one entry of the replicated log. Leaders' no-op entries never make one.
 */
public abstract class GaggleEntryEvent extends GaggleEvent {

    private final LogEntry entry;

    private final long index;

    /**
     * @param node the node that observed the entry
     * @param entry the entry
     * @param index its position in the log
     */
    protected GaggleEntryEvent(Gaggle node, LogEntry entry, long index) {
        super(node);
        this.entry = entry;
        this.index = index;
    }

    /** The entry; {@link LogEntry#data(Class)} converts its data with the application's mapper. */
    public LogEntry getEntry() {
        return this.entry;
    }

    /** The entry's position in the log, 0-based as in the original. */
    public long getIndex() {
        return this.index;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{index=" + this.index + ", entry=" + this.entry + "}";
    }
}
