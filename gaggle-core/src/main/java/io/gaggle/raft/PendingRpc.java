package io.gaggle.raft;

/**
 * A {@code dispatchOnLeader} call made on this node and not yet answered.
 */
final class PendingRpc {

    final RpcRequest request;
    /** When it was last offered to a leader, this node included; {@code Long.MIN_VALUE} if never. */
    long sentAt = Long.MIN_VALUE;

    PendingRpc(RpcRequest request) {
        this.request = request;
    }
}
