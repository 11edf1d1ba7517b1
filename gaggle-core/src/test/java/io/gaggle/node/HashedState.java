package io.gaggle.node;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

import io.gaggle.Gaggle;
import io.gaggle.Snapshotter;

/**
 * A small application for snapshot tests: how many entries it applied and a rolling hash of their
 * data, so two nodes that applied the same entries in the same order, whether from their logs or
 * from a snapshot, hold equal states, and any entry missing, repeated or out of order shows.
 */
final class HashedState implements Snapshotter {

    private final LongConsumer restored;
    private long applied = -1;
    private long count;
    private long hash;

    /** @param restored told the index of each snapshot restored, after it is */
    HashedState(LongConsumer restored) {
        this.restored = restored;
    }

    /** Applies what {@code node} commits. */
    void follow(Gaggle node) {
        node.onCommitted((entry, index) -> apply(index, entry.data().asString()));
    }

    private synchronized void apply(long index, String data) {
        applied = index;
        count++;
        hash = hash * 31 + data.hashCode();
    }

    /** {@code <applied> <count> <hash>}: equal on two nodes when they applied the same entries. */
    synchronized String describe() {
        return applied + " " + count + " " + hash;
    }

    @Override
    public synchronized void save(long index, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeLong(applied);
        data.writeLong(count);
        data.writeLong(hash);
        data.flush();
    }

    @Override
    public void restore(long index, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        synchronized (this) {
            applied = data.readLong();
            count = data.readLong();
            hash = data.readLong();
        }
        restored.accept(index);
    }
}
