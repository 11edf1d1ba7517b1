package io.gaggle.raft;

import java.util.ArrayList;
import java.util.List;

import io.gaggle.LogEntry;

/**
 * The log in memory, as the original keeps it: nothing survives the process.
 */
public final class InMemoryRaftLog implements RaftLog {

    private final List<LogEntry> entries = new ArrayList<>();
    private final EntryIdIndex indexById = new EntryIdIndex();

    @Override
    public long lastIndex() {
        return entries.size() - 1L;
    }

    @Override
    public long term(long index) {
        return index < 0 ? 0 : entries.get(Math.toIntExact(index)).term();
    }

    @Override
    public LogEntry get(long index) {
        return entries.get(Math.toIntExact(index));
    }

    @Override
    public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
        int from = Math.toIntExact(fromIndex);
        int to = Math.min(entries.size(), from + maxCount);
        long bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += EntrySize.estimate(entries.get(i));
            if (bytes > maxBytes && i > from) {
                to = i;
                break;
            }
        }
        return from >= to ? List.of() : List.copyOf(entries.subList(from, to));
    }

    @Override
    public void append(LogEntry entry) {
        indexById.put(entry.id(), entries.size());
        entries.add(entry);
    }

    @Override
    public void truncateFrom(long index) {
        for (int i = entries.size() - 1; i >= index; i--) {
            indexById.remove(entries.get(i).id());
            entries.remove(i);
        }
    }

    @Override
    public long indexOf(String entryId) {
        return indexById.get(entryId);
    }
}
