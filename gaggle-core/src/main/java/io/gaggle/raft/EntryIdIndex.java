package io.gaggle.raft;

import java.util.Arrays;

/**
 * Log index by entry id, for deduplicating appends. Open addressing with linear probing over one
 * {@code long[]}, each slot packing an id's hash (high 32 bits) with its entry's log index (low 32):
 * it keeps no id of its own and allocates nothing per entry, so the garbage collector has nothing
 * to trace or copy in it. Candidates with the same hash are told apart by comparing the id stored
 * in the log ({@link EntryIds}).
 * <p>
 * A slot keeps only the low 31 bits of the log index (its <em>position</em>): the log, which
 * holds fewer than 2<sup>31</sup> entries at a time, turns a position back into its index.
 */
final class EntryIdIndex {

    /** Compares an id with the id of the entry at a log position. */
    @FunctionalInterface
    interface EntryIds {
        boolean idEquals(long position, byte[] id);
    }

    /** The position of a log index: its low 31 bits. */
    static final long POSITION_MASK = 0x7FFF_FFFFL;

    private static final float MAX_LOAD = 0.6f;
    /** No slot holds it: positions fit in 31 bits, so a real slot's low 32 bits are never all set. */
    private static final long EMPTY = -1;

    private final EntryIds ids;
    private long[] slots = emptySlots(1024);
    private int size;

    EntryIdIndex(EntryIds ids) {
        this.ids = ids;
    }

    /** Log position of the entry whose UTF-8 id is {@code id}, -1 if there is none. */
    long get(byte[] id) {
        long slot = slots[slotOf(id, hash(id))];
        return slot == EMPTY ? -1 : slotIndex(slot);
    }

    /** Records that the entry at {@code index}, already in the log, has this id. */
    void put(byte[] id, long index) {
        if (size + 1 > slots.length * MAX_LOAD) {
            resize(slots.length * 2);
        }
        int hash = hash(id);
        int slot = slotOf(id, hash);
        if (slots[slot] == EMPTY) {
            size++;
        }
        slots[slot] = (long) hash << 32 | (index & POSITION_MASK);
    }

    /**
     * Removes {@code id} while its entry is still in the log, shifting later slots of its probe
     * run back so lookups stay correct.
     */
    void remove(byte[] id) {
        int mask = slots.length - 1;
        int gap = slotOf(id, hash(id));
        if (slots[gap] == EMPTY) {
            return;
        }
        size--;
        for (int next = (gap + 1) & mask; slots[next] != EMPTY; next = (next + 1) & mask) {
            int home = slotHash(slots[next]) & mask;
            // Move the slot into the gap unless its home lies cyclically in (gap, next].
            boolean homeBetween = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!homeBetween) {
                slots[gap] = slots[next];
                gap = next;
            }
        }
        slots[gap] = EMPTY;
    }

    /** The slot holding {@code id}, or else the empty slot that ends its probe run. */
    private int slotOf(byte[] id, int hash) {
        int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] != EMPTY && !(slotHash(slots[slot]) == hash && ids.idEquals(slotIndex(slots[slot]), id))) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void resize(int capacity) {
        long[] old = slots;
        slots = emptySlots(capacity);
        int mask = capacity - 1;
        for (long entry : old) {
            if (entry != EMPTY) {
                // Ids are unique in the table, so the first empty slot is the right one.
                int slot = slotHash(entry) & mask;
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = entry;
            }
        }
    }

    private static long[] emptySlots(int capacity) {
        long[] slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
        return slots;
    }

    private static int slotHash(long slot) {
        return (int) (slot >>> 32);
    }

    private static int slotIndex(long slot) {
        return (int) slot;
    }

    /** {@link String#hashCode()}'s polynomial over the bytes, spread so the low bits vary. */
    private static int hash(byte[] id) {
        int h = 0;
        for (byte b : id) {
            h = 31 * h + b;
        }
        return h ^ (h >>> 16);
    }
}
