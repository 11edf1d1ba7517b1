package io.gaggle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Saves and restores the application's state, so that a node can drop the log entries that state
 * already reflects (Raft paper, §7), and a node that lags far behind, or lost its storage, catches
 * up from a snapshot rather than from the whole history.
 * <p>
 * Both methods run on the node's delivery thread, in order with the {@link Gaggle#onCommitted}
 * listeners: the state saved at {@code index} is exactly the state after the listeners saw the
 * entry at {@code index}. They stream, so a large state never has to fit in one array.
 * <p>
 * Every node of a cluster needs the same snapshotter: a node that receives a snapshot from its
 * leader restores it.
 */
public interface Snapshotter {

    /** Writes the application state that reflects every entry up to and including index. */
    void save(long index, OutputStream out) throws IOException;

    /** Replaces the application state with one saved at index; entries after index follow. */
    void restore(long index, InputStream in) throws IOException;
}
