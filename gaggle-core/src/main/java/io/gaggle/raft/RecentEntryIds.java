package io.gaggle.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The entry ids a node knows, for deduplicating appends across compaction: those of the entries
 * its log holds and, in a window, those of up to {@link #RECENT_ENTRY_IDS} entries just before the
 * log's first index, which the log dropped behind a snapshot (Raft paper §7). Together they cover
 * every index from {@link #knowsIdsFrom()} to the log's last one, without a gap.
 * <p>
 * A snapshot carries the window's ids up to its index ({@link SnapshotMeta#recentEntryIds()}):
 * the ids of the entries just before it and up to it, in order, so the index of each is known.
 */
final class RecentEntryIds {

    /**
     * How many ids of compacted entries a node keeps, and a snapshot carries: 10,000, about a
     * second of appends at a high rate and some hundreds of KiB. A follower's resend is recognised
     * as long as it is no older than that; an older one is refused by the leader (see
     * {@link AppendForwardRequest}) and reported as of unknown outcome once a snapshot covers it.
     */
    static final int RECENT_ENTRY_IDS = 10_000;

    private final RaftLog log;
    /** Ids of the entries from {@code end - window.size()} to {@code end - 1}, in order. */
    private final ArrayDeque<String> window = new ArrayDeque<>();
    private final Map<String, Long> windowIndexes = new HashMap<>();
    /** The index after the window's last id: the log's first index whenever the window holds any. */
    private long end;

    RecentEntryIds(RaftLog log) {
        this.log = log;
    }

    /** The index of the entry with this id, in the log or the window; -1 if neither knows it. */
    long indexOf(String entryId) {
        long index = log.indexOf(entryId);
        if (index >= 0) {
            return index;
        }
        Long compacted = windowIndexes.get(entryId);
        return compacted == null ? -1 : compacted;
    }

    /** The first index whose entry's id is known; 0 for a log never compacted. */
    long knowsIdsFrom() {
        return window.isEmpty() ? log.firstIndex() : end - window.size();
    }

    /**
     * Whether the ids of every entry after {@code index} are known, so an entry said absent up to
     * {@code index} can be told apart from a new one.
     */
    boolean knowsIdsAfter(long index) {
        return index + 1 >= knowsIdsFrom();
    }

    /** The ids of the last up to {@link #RECENT_ENTRY_IDS} entries up to {@code index}, in order. */
    List<String> upTo(long index) {
        long from = Math.max(knowsIdsFrom(), index - RECENT_ENTRY_IDS + 1);
        List<String> ids = new ArrayList<>((int) Math.max(0, index - from + 1));
        long windowIndex = end - window.size();
        for (Iterator<String> it = window.iterator(); it.hasNext() && windowIndex <= index; windowIndex++) {
            String id = it.next();
            if (windowIndex >= from) {
                ids.add(id);
            }
        }
        for (long i = Math.max(from, log.firstIndex()); i <= index; i++) {
            ids.add(log.get(i).id());
        }
        return ids;
    }

    /** The log is about to drop its entries up to {@code index}: their ids move into the window. */
    void compacting(long index) {
        long from = Math.max(log.firstIndex(), index - RECENT_ENTRY_IDS + 1);
        if (from != end) {
            clear(); // the ids before from are too old to keep
        }
        for (long i = from; i <= index; i++) {
            add(log.get(i).id(), i);
        }
        end = index + 1;
        trim();
    }

    /**
     * The log continues after a snapshot at {@code index} whose ids are {@code ids}: the window
     * holds them, but for those of entries the log holds itself (a node restarting with the entries
     * its last snapshot kept).
     */
    void continueAfter(long index, List<String> ids) {
        clear();
        end = Math.min(index + 1, log.firstIndex());
        long start = index + 1 - ids.size();
        for (int i = (int) Math.max(0, end - RECENT_ENTRY_IDS - start); start + i < end; i++) {
            add(ids.get(i), start + i);
        }
    }

    private void add(String id, long index) {
        windowIndexes.put(id, index);
        window.addLast(id);
    }

    private void trim() {
        while (window.size() > RECENT_ENTRY_IDS) {
            long index = end - window.size();
            String id = window.pollFirst();
            windowIndexes.remove(id, index);
        }
    }

    private void clear() {
        window.clear();
        windowIndexes.clear();
    }
}
