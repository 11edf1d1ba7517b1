package io.gaggle.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.gaggle.Gaggle;
import io.gaggle.codec.EnvelopeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Runs the RPC handlers this node serves as leader, each call on another thread than the loop's, so
 * a slow handler stalls neither consensus nor delivery. A handler's value, or its failure as a
 * message, goes to the {@link Outcome}.
 * <p>
 * The calls outstanding (running or waiting for a thread) are bounded, whether they run on the
 * node's own pool or on an executor the application supplied, since anyone on the channel can send
 * RPC requests: a call beyond the bound, or one the executor rejects or hands back to run on the
 * loop thread (a caller-runs policy when saturated), is answered at once with an error saying the
 * leader is busy, so its caller learns it rather than waiting out its timeout.
 */
final class RpcExecutor {

    /** Handlers running at once on the node's own pool, at most. */
    static final int OWN_POOL_THREADS = 64;
    private static final long IDLE_THREAD_SECONDS = 60;

    private static final Logger LOG = LoggerFactory.getLogger(RpcExecutor.class);

    /** Where a call's outcome goes; called on the executor's thread, or the caller's when it answers at once. */
    @FunctionalInterface
    interface Outcome {

        /** {@code error} is null on success. */
        void completed(String origin, String requestId, JsonNode result, String error);
    }

    private final Gaggle leader;
    private final Map<String, Gaggle.RpcHandler> handlers;
    private final JsonMapper mapper;
    private final Outcome outcome;
    private final Executor executor;
    /** The node's own pool, which it shuts down; null when the executor was supplied. */
    private final ExecutorService ownPool;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean shutdown;
    /** Whether the executor was told of running a call on the loop thread; once is enough. */
    private final AtomicBoolean warnedOfCallerRuns = new AtomicBoolean();

    private RpcExecutor(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper, Outcome outcome,
            Executor executor, ExecutorService ownPool, int maxPending) {
        this.leader = leader;
        this.handlers = handlers;
        this.mapper = mapper;
        this.outcome = outcome;
        this.executor = executor;
        this.ownPool = ownPool;
        this.maxPending = maxPending;
    }

    /**
     * Runs handlers on a pool of its own, of up to {@code maxThreads} threads made by {@code threads},
     * which {@link #shutdown()} shuts down. {@code leader}: the node handlers are given, as the
     * original's {@code this}.
     */
    static RpcExecutor ownPool(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper,
            Outcome outcome, ThreadFactory threads, int maxThreads, int maxPending) {
        // Unbounded here since the pending count bounds what waits.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxThreads, maxThreads, IDLE_THREAD_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return new RpcExecutor(leader, handlers, mapper, outcome, pool, pool, maxPending);
    }

    /** Runs handlers on the application's {@code executor}, which {@link #shutdown()} leaves running. */
    static RpcExecutor supplied(Gaggle leader, Map<String, Gaggle.RpcHandler> handlers, JsonMapper mapper,
            Outcome outcome, Executor executor, int maxPending) {
        return new RpcExecutor(leader, handlers, mapper, outcome, executor, null, maxPending);
    }

    /**
     * Runs the handler {@code name} for the caller on node {@code origin}, or, with {@code maxPending}
     * calls outstanding or the executor rejecting it or running it here, answers it at once that the
     * leader is busy.
     */
    void execute(String origin, String requestId, String name, List<JsonNode> args) {
        if (shutdown) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            busy(origin, requestId, maxPending + " RPCs running or waiting");
            return;
        }
        Thread caller = Thread.currentThread();
        try {
            executor.execute(() -> {
                try {
                    if (Thread.currentThread() == caller) {
                        refuseCallerRuns(origin, requestId);
                    } else {
                        run(origin, requestId, name, args);
                    }
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            if (!shutdown) {
                LOG.debug("The RPC executor rejected a call", e);
                busy(origin, requestId, "its RPC executor rejected the call");
            }
        }
    }

    private void busy(String origin, String requestId, String why) {
        outcome.completed(origin, requestId, NullNode.getInstance(), "the leader is busy: " + why + "; retry later");
    }

    /**
     * An executor that runs the call on the thread that hands it over (a caller-runs policy when
     * saturated, a direct executor) would run the handler on the consensus loop, which must not
     * wait for it: the call is refused as if rejected. Said once, since a saturated pool hands back
     * many calls.
     */
    private void refuseCallerRuns(String origin, String requestId) {
        if (warnedOfCallerRuns.compareAndSet(false, true)) {
            LOG.warn("The RPC executor ran a call on the thread that handed it over, the consensus loop, so the "
                    + "call was answered that the leader is busy; give Gaggle an executor that runs calls on "
                    + "threads of its own or rejects them (said once)");
        }
        busy(origin, requestId, "its RPC executor ran the call on the consensus thread");
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

    /** Takes no more calls and lets running ones finish; shuts down the node's own pool, not a supplied executor. */
    void shutdown() {
        shutdown = true;
        if (ownPool != null) {
            ownPool.shutdown();
        }
    }
}
