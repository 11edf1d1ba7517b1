package io.gaggle.raft;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Asks the leader to run the named handler ({@code dispatchOnLeader}).
 *
 * @param requestId unique id of the call; a leader runs each id at most once
 * @param name the handler's name
 * @param args the arguments, as JSON
 */
public record RpcRequest(String requestId, String name, List<JsonNode> args) implements RaftMessage {

    public RpcRequest {
        args = List.copyOf(args);
    }
}
