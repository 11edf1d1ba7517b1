package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gaggle.Gaggle;
import io.gaggle.codec.EnvelopeCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RpcExecutor} runs handlers on a bounded pool, and answers what it cannot run or send.
 */
class RpcExecutorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What a call ended with: its error, or its result as JSON text. */
    private final Map<String, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger threadsStarted = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(2);
    private RpcExecutor executor;

    @AfterEach
    void releaseAndShutDown() {
        release.countDown();
        executor.shutdown();
    }

    /** An executor of two threads and a queue of one, whose "block" handler waits for {@link #release}. */
    private RpcExecutor executor() {
        ThreadFactory threads = runnable -> {
            threadsStarted.incrementAndGet();
            Thread thread = new Thread(runnable, "rpc-test");
            thread.setDaemon(true);
            return thread;
        };
        Map<String, Gaggle.RpcHandler> handlers = Map.of(
                "block", (leader, args) -> {
                    running.countDown();
                    return release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS) ? "done" : "not released";
                },
                "huge", (leader, args) -> "x".repeat(EnvelopeCodec.MAX_RPC_BYTES),
                "verbose", (leader, args) -> {
                    throw new IllegalStateException("e".repeat(2 * EnvelopeCodec.MAX_ERROR_LENGTH));
                },
                "mute", (leader, args) -> {
                    throw new IllegalStateException("");
                });
        executor = RpcExecutor.ownPool(null, handlers, JsonMapper.builder().build(),
                (origin, requestId, result, error) -> outcome(requestId).complete(error != null ? error
                        : result.toString()), threads, 2, 3);
        return executor;
    }

    private CompletableFuture<String> outcome(String requestId) {
        return outcomes.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    }

    @Test
    void aCallBeyondTheThreadsAndTheQueueIsAnsweredAtOnceThatTheLeaderIsBusy() throws Exception {
        RpcExecutor executor = executor();
        for (int i = 0; i < 3; i++) {
            executor.execute("b", "call-" + i, "block", List.of());
        }
        assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        executor.execute("b", "call-3", "block", List.of());

        assertThat(outcome("call-3")).isCompletedWithValueMatching(error -> error.startsWith("the leader is busy"));
        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertThat(outcome("call-" + i)).succeedsWithin(TIMEOUT).isEqualTo("\"done\"");
        }
    }

    @Test
    void aFloodOfCallsStartsNoMoreThreadsThanTheBound() throws Exception {
        RpcExecutor executor = executor();

        for (int i = 0; i < 1_000; i++) {
            executor.execute("b", "call-" + i, "block", List.of());
        }

        assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(threadsStarted).hasValue(2);
        assertThat(outcomes.values()).filteredOn(CompletableFuture::isDone).hasSize(1_000 - 3)
                .allSatisfy(busy -> assertThat(busy.join()).startsWith("the leader is busy"));
    }

    @Test
    void aResultPeersWouldRefuseIsAnsweredWithAnError() {
        executor().execute("b", "call", "huge", List.of());

        assertThat(outcome("call")).succeedsWithin(TIMEOUT).asString()
                .startsWith("RPC handler 'huge': an RPC result of").contains("exceeds " + EnvelopeCodec.MAX_RPC_BYTES);
    }

    @Test
    void anOverlongErrorIsCutToWhatPeersAccept() {
        executor().execute("b", "call", "verbose", List.of());

        assertThat(outcome("call")).succeedsWithin(TIMEOUT).asString().hasSize(EnvelopeCodec.MAX_ERROR_LENGTH)
                .endsWith("...");
    }

    @Test
    void aFailureWithAnEmptyMessageIsAnsweredWithItsClass() {
        executor().execute("b", "call", "mute", List.of());

        assertThat(outcome("call")).succeedsWithin(TIMEOUT).asString().isEqualTo(IllegalStateException.class.getName());
    }
}
