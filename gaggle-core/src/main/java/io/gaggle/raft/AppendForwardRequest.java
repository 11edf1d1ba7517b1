package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;

/**
 * A follower passes appends made on it to the leader. No reply: the follower learns the outcome
 * when the entry reaches its own log and commits, and resends until then. The leader skips
 * entries whose id it knows, so each entry commits at most once.
 * <p>
 * The leader knows the ids of the entries its log holds and of the last ones its latest snapshot
 * covers, not of older ones. So the follower says how far back the leader must look:
 * {@code absentThrough} is an index up to which, as far as the follower knows, none of these
 * entries is in the log (an entry is appended after the commit index its origin saw when it was
 * made, which Leader Completeness, Raft paper §5.4, keeps in every later leader's log). A leader
 * whose knowledge of ids starts after it cannot tell a resend from a new append and refuses the
 * batch; the follower resends once it knows more.
 *
 * @param entries the appends; their terms are meaningless until the leader appends them
 * @param absentThrough no entry of the batch is in the log at this index or before; -1 if the
 *        follower does not say
 */
public record AppendForwardRequest(List<LogEntry> entries, long absentThrough) implements RaftMessage {

    public AppendForwardRequest {
        entries = List.copyOf(entries);
    }

    /** A batch from a follower that does not say where its entries cannot be. */
    public AppendForwardRequest(List<LogEntry> entries) {
        this(entries, -1);
    }
}
