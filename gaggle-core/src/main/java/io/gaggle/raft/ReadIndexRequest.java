package io.gaggle.raft;

/**
 * A follower asks the leader for a read index: a commit index that every read started now may
 * safely wait for (Raft thesis §6.4).
 *
 * @param requestId the read asked for
 */
public record ReadIndexRequest(String requestId) implements RaftMessage {
}
