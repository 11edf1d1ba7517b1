package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;

/**
 * A follower passes appends made on it to the leader. No reply: the follower learns the outcome
 * when the entry reaches its own log and commits, and resends until then. The leader skips
 * entries whose id its log already holds, so each entry commits at most once.
 *
 * @param entries the appends; their terms are meaningless until the leader appends them
 */
public record AppendForwardRequest(List<LogEntry> entries) implements RaftMessage {

    public AppendForwardRequest {
        entries = List.copyOf(entries);
    }
}
