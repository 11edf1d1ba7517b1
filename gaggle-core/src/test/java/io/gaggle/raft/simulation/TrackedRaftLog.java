package io.gaggle.raft.simulation;

import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftLog;

/**
 * A node's log in the simulation: its storage's log, remembering the lowest index appended or
 * removed since {@link SafetyChecker} last looked, so the checker can check every step while
 * comparing only what changed. A new one counts the whole log as changed: it is what a node
 * (re)started with.
 */
final class TrackedRaftLog implements RaftLog {

    private final RaftLog log;
    private long changedFrom = 0;

    TrackedRaftLog(RaftLog log) {
        this.log = log;
    }

    /** The lowest index appended or removed since the last call, {@code Long.MAX_VALUE} if none. */
    long takeChangedFrom() {
        long from = changedFrom;
        changedFrom = Long.MAX_VALUE;
        return from;
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public LogEntry get(long index) {
        return log.get(index);
    }

    @Override
    public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
        return log.slice(fromIndex, maxCount, maxBytes);
    }

    @Override
    public void append(LogEntry entry) {
        changedFrom = Math.min(changedFrom, log.lastIndex() + 1);
        log.append(entry);
    }

    @Override
    public void truncateFrom(long index) {
        changedFrom = Math.min(changedFrom, index);
        log.truncateFrom(index);
    }

    @Override
    public long indexOf(String entryId) {
        return log.indexOf(entryId);
    }

    @Override
    public void compactTo(long index) {
        log.compactTo(index);
    }

    @Override
    public void resetTo(long index, long term) {
        changedFrom = Math.min(changedFrom, index + 1);
        log.resetTo(index, term);
    }
}
