package io.gaggle.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.codec.EnvelopeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Runs the RPC handlers this node serves as leader, each call on a pooled thread, so a slow
 * handler stalls neither consensus nor delivery. A handler's value, or its failure as a message,
 * goes to the {@link Outcome}.
 * <p>
 * The pool is bounded, in threads and in calls waiting for one, since anyone on the channel can
 * send RPC requests: a call beyond both is answered at once with an error saying the leader is
 * busy, so its caller learns it rather than waiting out its timeout.
 */
final class RpcExecutor {

    /** Handlers running at once, at most. */
    static final int MAX_THREADS = 64;
    /** Calls waiting for a thread, at most. */
    static final int MAX_QUEUED = 1024;
    private static final long IDLE_THREAD_SECONDS = 60;

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
    private final ThreadPoolExecutor pool;

    /** {@code leader}: the node handlers are given, as the original's {@code this}. */
    RpcExecutor(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper, Outcome outcome,
            ThreadFactory threads) {
        this(leader, handlers, mapper, outcome, threads, MAX_THREADS, MAX_QUEUED);
    }

    RpcExecutor(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper, Outcome outcome,
            ThreadFactory threads, int maxThreads, int maxQueued) {
        this.leader = leader;
        this.handlers = handlers;
        this.mapper = mapper;
        this.outcome = outcome;
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxQueued), threads);
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs the handler {@code name} for the caller on node {@code origin}, or, with every thread
     * busy and the queue full, answers it at once that the leader is busy.
     */
    void execute(String origin, String requestId, String name, List<JsonNode> args) {
        try {
            pool.execute(() -> run(origin, requestId, name, args));
        } catch (RejectedExecutionException e) {
            if (!pool.isShutdown()) {
                outcome.completed(origin, requestId, NullNode.getInstance(), "the leader is busy: "
                        + pool.getMaximumPoolSize() + " RPCs running and " + pool.getQueue().size()
                        + " waiting; retry later");
            }
        }
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
        if (error == null) {
            try {
                EnvelopeCodec.checkRpcResult(result);
            } catch (IllegalArgumentException e) {
                result = NullNode.getInstance();
                error = "RPC handler '" + name + "': " + e.getMessage();
            }
        }
        outcome.completed(origin, requestId, result, error);
    }

    /** The failure's message, or its class when it has none (peers refuse an empty error), cut to what peers accept. */
    private static String describe(Throwable failure) {
        String message = failure.getMessage() != null && !failure.getMessage().isEmpty() ? failure.getMessage()
                : failure.getClass().getName();
        return message.length() <= EnvelopeCodec.MAX_ERROR_LENGTH
                ? message : message.substring(0, EnvelopeCodec.MAX_ERROR_LENGTH - 3) + "...";
    }

    /** Lets running calls finish; takes no more. */
    void shutdown() {
        pool.shutdown();
    }
}
