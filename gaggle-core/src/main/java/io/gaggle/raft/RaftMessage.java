package io.gaggle.raft;

/**
 * A message between Gaggle nodes. The sender's id travels in the envelope, not here.
 */
public sealed interface RaftMessage
        permits TermMessage, AppendForwardRequest, RpcRequest, RpcResponse, ReadIndexRequest, ReadIndexResponse {
}
