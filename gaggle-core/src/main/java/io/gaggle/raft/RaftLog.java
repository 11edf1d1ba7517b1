package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;

/**
 * Storage of a node's log. Indexes are 0-based as in the original; index -1 stands for the empty
 * prefix, whose term is 0. Consensus rules live in {@link RaftNode}, so a durable or compacting
 * store can replace {@link InMemoryRaftLog} without touching them.
 */
public interface RaftLog {

    /** Index of the last entry, -1 when empty. */
    long lastIndex();

    /** Term of the entry at {@code index}; 0 for index -1. */
    long term(long index);

    /** The entry at {@code index}, 0 &lt;= index &lt;= {@link #lastIndex()}. */
    LogEntry get(long index);

    /**
     * Entries from {@code fromIndex} on, at most {@code maxCount} of them and, beyond the first,
     * at most about {@code maxBytes} of entry data.
     */
    List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes);

    /** Appends one entry at {@link #lastIndex()} + 1. */
    void append(LogEntry entry);

    /** Removes the entry at {@code index} and every later one. */
    void truncateFrom(long index);

    /** Index of the entry with this id, -1 if the log holds none. */
    long indexOf(String entryId);
}
