package io.gaggle;

/**
 * The role a Gaggle node plays in its current term (Raft paper, §5.1).
 */
public enum Role {
    /** Accepts entries from the leader and votes in elections. */
    FOLLOWER,
    /** Asks for votes after hearing no leader for an election timeout (§5.2). */
    CANDIDATE,
    /** Accepts appends, replicates them and decides when they are committed (§5.3). */
    LEADER
}
