package io.gaggle;

/**
 * Receives log entries, as the original's {@code appended} and {@code committed} events.
 * Called on Gaggle's event thread, in log order; a slow listener delays later events but never
 * stalls consensus. Do not block it waiting for another Gaggle event.
 */
@FunctionalInterface
public interface EntryListener {

    /**
     * @param entry the entry
     * @param index its position in the log, 0-based
     */
    void on(LogEntry entry, long index);
}
