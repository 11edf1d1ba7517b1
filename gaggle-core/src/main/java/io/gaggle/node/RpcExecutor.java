package io.gaggle.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import io.gaggle.Gaggle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Runs the RPC handlers this node serves as leader, each call on a pooled thread, so a slow
 * handler stalls neither consensus nor delivery. A handler's value, or its failure as a message,
 * goes to the {@link Outcome}.
 */
final class RpcExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RpcExecutor.class);

    /** Where a call's outcome goes; called on the pool's thread. */
    @FunctionalInterface
    interface Outcome {

        /** {@code error} is null on success. */
        void completed(String origin, String requestId, JsonNode result, String error);
    }

    private final Gaggle leader;
    private final Map<String, Gaggle.RpcHandler> handlers;
    private final JsonMapper mapper;
    private final Outcome outcome;
    private final ExecutorService pool;

    /** {@code leader}: the node handlers are given, as the original's {@code this}. */
    RpcExecutor(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper, Outcome outcome,
            ThreadFactory threads) {
        this.leader = leader;
        this.handlers = handlers;
        this.mapper = mapper;
        this.outcome = outcome;
        this.pool = Executors.newCachedThreadPool(threads);
    }

    /** Runs the handler {@code name} for the caller on node {@code origin}. */
    void execute(String origin, String requestId, String name, List<JsonNode> args) {
        pool.execute(() -> run(origin, requestId, name, args));
    }

    private void run(String origin, String requestId, String name, List<JsonNode> args) {
        JsonNode result = NullNode.getInstance();
        String error = null;
        Gaggle.RpcHandler handler = handlers.get(name);
        if (handler == null) {
            error = "no RPC handler named '" + name + "' on the leader";
        } else {
            try {
                Object value = handler.handle(leader, args);
                if (value instanceof Throwable failure) {
                    error = describe(failure);
                } else if (value != null) {
                    result = mapper.valueToTree(value);
                }
            } catch (Exception e) {
                LOG.debug("RPC handler '{}' failed", name, e);
                error = describe(e);
            }
        }
        outcome.completed(origin, requestId, result, error);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    }

    /** Lets running calls finish; takes no more. */
    void shutdown() {
        pool.shutdown();
    }
}
