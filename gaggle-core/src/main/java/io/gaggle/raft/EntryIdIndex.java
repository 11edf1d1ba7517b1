package io.gaggle.raft;

/**
 * Log index by entry id, for deduplicating appends. Open addressing with linear probing over two
 * parallel arrays: unlike a {@code HashMap<String, Long>}, it allocates nothing per entry, which
 * matters because every entry of an in-memory log lives as long as the log and is copied by each
 * young garbage collection until it is promoted.
 */
final class EntryIdIndex {

    private static final float MAX_LOAD = 0.6f;

    private String[] keys = new String[1024];
    private long[] values = new long[1024];
    private int size;

    long get(String id) {
        int mask = keys.length - 1;
        for (int slot = hash(id) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            if (keys[slot].equals(id)) {
                return values[slot];
            }
        }
        return -1;
    }

    void put(String id, long index) {
        if (size + 1 > keys.length * MAX_LOAD) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int slot = hash(id) & mask;
        while (keys[slot] != null && !keys[slot].equals(id)) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == null) {
            size++;
        }
        keys[slot] = id;
        values[slot] = index;
    }

    /** Removes {@code id}, shifting later entries of its probe run back so lookups stay correct. */
    void remove(String id) {
        int mask = keys.length - 1;
        int slot = hash(id) & mask;
        while (keys[slot] != null && !keys[slot].equals(id)) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == null) {
            return;
        }
        size--;
        int gap = slot;
        for (int next = (gap + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
            int home = hash(keys[next]) & mask;
            // Move the entry into the gap unless its home lies cyclically in (gap, next].
            boolean homeBetween = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!homeBetween) {
                keys[gap] = keys[next];
                values[gap] = values[next];
                gap = next;
            }
        }
        keys[gap] = null;
    }

    private void resize(int capacity) {
        String[] oldKeys = keys;
        long[] oldValues = values;
        keys = new String[capacity];
        values = new long[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(String id) {
        int h = id.hashCode();
        return h ^ (h >>> 16);
    }
}
