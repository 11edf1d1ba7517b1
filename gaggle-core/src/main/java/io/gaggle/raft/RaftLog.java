package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;

/**
 * Storage of a node's log. Indexes are 0-based as in the original; index -1 stands for the empty
 * prefix, whose term is 0. Consensus rules live in {@link RaftNode}, so a durable or compacting
 * store can replace {@link InMemoryRaftLog} without touching them.
 */
public interface RaftLog {

    /**
     * Index of the first entry the log holds; {@link #lastIndex()} + 1 when it holds none. 0 until
     * the log is compacted (Raft paper, §7).
     */
    long firstIndex();

    /** Index of the last entry; {@link #firstIndex()} - 1 when the log holds none, so -1 for a new log. */
    long lastIndex();

    /**
     * Term of the entry at {@code index}, {@link #firstIndex()} - 1 &lt;= index &lt;= {@link #lastIndex()}:
     * for {@code firstIndex() - 1} the term of the last entry compacted away, which the consistency
     * check of AppendEntries still needs (Raft paper, §7); 0 for index -1. Other indexes throw
     * {@link IndexOutOfBoundsException}.
     */
    long term(long index);

    /**
     * The entry at {@code index}, {@link #firstIndex()} &lt;= index &lt;= {@link #lastIndex()}; other
     * indexes throw {@link IndexOutOfBoundsException}.
     */
    LogEntry get(long index);

    /**
     * Entries from {@code fromIndex} on, at most {@code maxCount} of them and, beyond the first,
     * at most about {@code maxBytes} of entry data. A {@code fromIndex} before {@link #firstIndex()}
     * throws {@link IndexOutOfBoundsException}; one after {@link #lastIndex()} gives no entries.
     */
    List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes);

    /** Appends one entry at {@link #lastIndex()} + 1. */
    void append(LogEntry entry);

    /** Removes the entry at {@code index} and every later one; compacted entries stay compacted. */
    void truncateFrom(long index);

    /** Index of the entry with this id, -1 if the log holds none (compacted entries included). */
    long indexOf(String entryId);

    /**
     * Drops the entries up to and including {@code index}, {@code firstIndex() - 1 <= index <= lastIndex()},
     * because a snapshot holds them (Raft paper, §7). Later entries, {@code term(index)} and
     * {@link #indexOf} for retained entries keep working. A durable log makes this durable at its
     * next sync; a crash before then may bring the dropped entries back, which is harmless.
     */
    void compactTo(long index);

    /**
     * Drops every entry and continues after a snapshot that ends at {@code index} with an entry of
     * {@code term}: afterwards {@code lastIndex() == index}, {@code firstIndex() == index + 1} and
     * {@code term(index) == term}. A follower does this when it installs a snapshot that its log
     * does not match (Raft paper, §7). A durable log makes it durable at its next sync.
     */
    void resetTo(long index, long term);
}
