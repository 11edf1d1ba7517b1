package io.gaggle.node;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.gaggle.GaggleBackpressureException;
import io.gaggle.GaggleOutcomeUnknownException;
import io.gaggle.GaggleRpcException;
import tools.jackson.databind.JsonNode;

/**
 * The futures callers wait on, by request id, from the loop turn that queues a request to the one
 * that settles it. A future settles on the delivery thread after whatever that turn told the
 * listeners before it: an append's after this node's committed listeners saw the entry, a read's
 * after they saw everything up to its index. The maps are the loop thread's; the append slots,
 * which bound how many appends may be pending, are taken on the caller's thread.
 */
final class PendingCalls {

    private final String nodeId;
    private final int maxPendingAppends;
    private final Delivery delivery;
    private final AtomicLong appendsMade = new AtomicLong();
    private final AtomicInteger pendingAppends = new AtomicInteger();
    private final Map<String, CompletableFuture<Void>> appends = new HashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> rpcs = new HashMap<>();
    private final Map<String, CompletableFuture<Long>> reads = new HashMap<>();

    PendingCalls(String nodeId, int maxPendingAppends, Delivery delivery) {
        this.nodeId = nodeId;
        this.maxPendingAppends = maxPendingAppends;
        this.delivery = delivery;
    }

    /**
     * Caller's thread: the future of a new append, holding one of the node's append slots until it
     * completes; already failed with {@link GaggleBackpressureException} when no slot is free.
     */
    CompletableFuture<Void> newAppend() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        appendsMade.incrementAndGet();
        if (pendingAppends.incrementAndGet() > maxPendingAppends) {
            pendingAppends.decrementAndGet();
            future.completeExceptionally(new GaggleBackpressureException("node " + nodeId + " already has "
                    + maxPendingAppends + " appends pending; retry once some commit"));
            return future;
        }
        future.whenComplete((ignored, failure) -> pendingAppends.decrementAndGet());
        return future;
    }

    long appendsMade() {
        return appendsMade.get();
    }

    int pendingAppends() {
        return pendingAppends.get();
    }

    void append(String entryId, CompletableFuture<Void> future) {
        appends.put(entryId, future);
    }

    void rpc(String requestId, CompletableFuture<JsonNode> future) {
        rpcs.put(requestId, future);
    }

    void read(String requestId, CompletableFuture<Long> future) {
        reads.put(requestId, future);
    }

    void appendCommitted(String entryId) {
        settle(appends, entryId, future -> future.complete(null));
    }

    void appendTimedOut(String entryId) {
        settle(appends, entryId, future -> future.completeExceptionally(new TimeoutException(
                "append " + entryId + " not committed in time; it may still commit")));
    }

    void appendOutcomeUnknown(String entryId) {
        settle(appends, entryId, future -> future.completeExceptionally(new GaggleOutcomeUnknownException("append "
                + entryId + " may or may not have committed: node " + nodeId + " fell behind a snapshot that "
                + "covers where it could be, and the snapshot no longer says which entries it holds; not resent")));
    }

    void rpcCompleted(String requestId, JsonNode result, String error) {
        settle(rpcs, requestId, error == null
                ? future -> future.complete(result)
                : future -> future.completeExceptionally(new GaggleRpcException(error)));
    }

    void rpcTimedOut(String requestId) {
        settle(rpcs, requestId, future -> future.completeExceptionally(new TimeoutException(
                "no answer from a leader in time")));
    }

    void readCompleted(String requestId, long readIndex) {
        settle(reads, requestId, future -> future.complete(readIndex));
    }

    void readTimedOut(String requestId) {
        settle(reads, requestId, future -> future.completeExceptionally(new TimeoutException(
                "no read index from a leader in time")));
    }

    /** Fails every pending call, as the node closes. */
    void failAll(Throwable failure) {
        failAll(appends, failure);
        failAll(rpcs, failure);
        failAll(reads, failure);
    }

    private <T> void settle(Map<String, CompletableFuture<T>> futures, String id,
            Consumer<CompletableFuture<T>> outcome) {
        CompletableFuture<T> future = futures.remove(id);
        if (future != null) {
            delivery.add(() -> outcome.accept(future));
        }
    }

    private <T> void failAll(Map<String, CompletableFuture<T>> futures, Throwable failure) {
        futures.values().forEach(future -> delivery.add(() -> future.completeExceptionally(failure)));
        futures.clear();
    }
}
