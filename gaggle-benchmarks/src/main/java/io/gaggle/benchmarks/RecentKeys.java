package io.gaggle.benchmarks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.gaggle.Gaggle;
import io.gaggle.Snapshotter;

/**
 * An application of realistic cost for the runner: each committed {@link Payload} is parsed and
 * kept under its key, in a map of the {@value #KEYS} most recent keys; as a {@link Snapshotter} it
 * writes and reads that map.
 */
final class RecentKeys implements Snapshotter {

    private static final int KEYS = 10_000;

    private final Map<String, String> values = new LinkedHashMap<>(KEYS * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEYS;
        }
    };
    private final AtomicInteger saves = new AtomicInteger();

    /** Applies what {@code node} commits; on the node's delivery thread, as save and restore. */
    void follow(Gaggle node) {
        node.onCommitted((entry, index) -> {
            Payload payload = entry.data(Payload.class);
            if (payload != null) {
                values.put(payload.key(), payload.value());
            }
        });
    }

    /** How many snapshots this state saved. */
    int saves() {
        return saves.get();
    }

    @Override
    public void save(long index, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(values.size());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            data.writeUTF(entry.getKey());
            data.writeUTF(entry.getValue());
        }
        data.flush();
        saves.incrementAndGet();
    }

    @Override
    public void restore(long index, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        values.clear();
        for (int i = data.readInt(); i > 0; i--) {
            values.put(data.readUTF(), data.readUTF());
        }
    }
}
