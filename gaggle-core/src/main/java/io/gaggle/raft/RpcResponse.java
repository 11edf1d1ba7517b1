package io.gaggle.raft;

import tools.jackson.databind.JsonNode;

/**
 * The leader's answer to {@link RpcRequest}, sent to the caller's node only.
 *
 * @param requestId the call answered
 * @param result the handler's return value as JSON, when it succeeded
 * @param error the failure message, or {@code null} when the handler succeeded
 */
public record RpcResponse(String requestId, JsonNode result, String error) implements RaftMessage {
}
