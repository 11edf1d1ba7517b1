package io.gaggle.raft;

/**
 * The leader's read index for a {@link ReadIndexRequest}, given once a majority confirmed its
 * leadership after the request arrived.
 *
 * @param requestId the read answered
 * @param readIndex the leader's commit index when the request arrived
 */
public record ReadIndexResponse(String requestId, long readIndex) implements RaftMessage {
}
