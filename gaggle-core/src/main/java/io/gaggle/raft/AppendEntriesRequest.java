package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;

/**
 * The leader replicates entries, or just asserts its leadership (Raft paper, §5.3). Sent directly
 * to one follower with a batch from its next index, or broadcast without entries as a heartbeat
 * whose {@code prevLogIndex} is the leader's commit index, which every up-to-date follower holds.
 *
 * @param term the leader's term
 * @param prevLogIndex index of the entry just before {@code entries}, -1 for the log's start
 * @param prevLogTerm term of that entry, 0 for the log's start
 * @param entries entries to store, possibly none
 * @param leaderCommit the leader's commit index
 * @param round the leader's heartbeat round when it sent this; echoed in the answer, it tells the
 *        leader the follower still recognised it after a read was asked for (Raft thesis §6.4)
 */
public record AppendEntriesRequest(long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
        long leaderCommit, long round) implements TermMessage {

    public AppendEntriesRequest {
        entries = List.copyOf(entries);
    }
}
