package io.gaggle.raft;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A {@code dispatchOnLeader} call made on this node and not yet answered.
 */
final class PendingRpc {

    final RpcRequest request;
    final long deadline;
    /** When it was last offered to a leader, this node included; {@code Long.MIN_VALUE} if never. */
    long sentAt = Long.MIN_VALUE;

    PendingRpc(String requestId, String name, List<JsonNode> args, long deadline) {
        this.request = new RpcRequest(requestId, name, args);
        this.deadline = deadline;
    }
}
