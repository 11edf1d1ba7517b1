package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.gaggle.Gaggle;
import io.gaggle.GaggleRpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threads an application supplies ({@link Gaggle.Builder#rpcExecutor},
 * {@link Gaggle.Builder#listenerThreadFactory}) run handlers and listeners; the bound on RPC calls
 * still holds, and the consensus loop keeps its own thread.
 */
class SuppliedThreadsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private final ExecutorService appExecutor = Executors.newFixedThreadPool(4, threads("app-rpc"));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopTheApplicationsExecutor() {
        release.countDown();
        appExecutor.shutdownNow();
    }

    /** Daemon threads named {@code name-n}, each recorded in {@link #made}. */
    private ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };
    }

    private static JsonNode call(Gaggle node, String name) {
        return node.dispatchOnLeader(name, List.of(), TIMEOUT).join();
    }

    private static CompletableFuture<JsonNode> dispatch(Gaggle node, String name) {
        return node.dispatchOnLeader(name, List.of(), TIMEOUT);
    }

    @Test
    void rpcHandlersRunOnTheSuppliedExecutor() {
        try (TestCluster cluster = new TestCluster(3, builder -> builder.rpcExecutor(appExecutor)
                .rpc("thread", (leader, args) -> Thread.currentThread().getName()))) {
            cluster.awaitLeader();

            assertThat(call(cluster.aFollower(), "thread").asString()).startsWith("app-rpc-");
        }
    }

    @Test
    void callsBeyondTheBoundAreAnsweredThatTheLeaderIsBusyOnASuppliedExecutorToo() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        try (TestCluster cluster = new TestCluster(1, builder -> builder.rpcExecutor(appExecutor).maxPendingRpcs(2)
                .rpc("block", (leader, args) -> {
                    running.countDown();
                    return release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }))) {
            Gaggle leader = cluster.awaitLeader();
            List<CompletableFuture<JsonNode>> blocked = List.of(dispatch(leader, "block"), dispatch(leader, "block"));
            assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(dispatch(leader, "block")).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class)
                    .withMessage("the leader is busy: 2 RPCs running or waiting; retry later");
            release.countDown();
            assertThat(blocked).allSatisfy(call -> assertThat(call).succeedsWithin(TIMEOUT)
                    .satisfies(result -> assertThat(result.asBoolean()).isTrue()));
        }
    }

    @Test
    void aCallTheSuppliedExecutorRejectsIsAnsweredThatTheLeaderIsBusy() {
        try (TestCluster cluster = new TestCluster(1, builder -> builder
                .rpcExecutor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .rpc("thread", (leader, args) -> Thread.currentThread().getName()))) {
            Gaggle leader = cluster.awaitLeader();

            assertThat(dispatch(leader, "thread")).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class)
                    .withMessage("the leader is busy: its RPC executor rejected the call; retry later");
        }
    }

    @Test
    void aCallTheExecutorRunsOnTheCallersThreadIsAnsweredThatTheLeaderIsBusyRatherThanStallTheLoop() {
        try (TestCluster cluster = new TestCluster(1, builder -> builder.rpcExecutor(Runnable::run)
                .rpc("thread", (leader, args) -> Thread.currentThread().getName()))) {
            Gaggle leader = cluster.awaitLeader();

            assertThat(dispatch(leader, "thread")).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(GaggleRpcException.class)
                    .withMessage("the leader is busy: its RPC executor ran the call on the consensus thread; "
                            + "retry later");
            assertThat(leader.isLeader()).isTrue();
        }
    }

    @Test
    void aSaturatedCallerRunsPoolAnswersTheOverflowThatTheLeaderIsBusyAndRunsLaterCalls() throws Exception {
        ThreadPoolExecutor callerRuns = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("app-rpc"), new ThreadPoolExecutor.CallerRunsPolicy());
        CountDownLatch running = new CountDownLatch(1);
        try (TestCluster cluster = new TestCluster(1, builder -> builder.rpcExecutor(callerRuns).maxPendingRpcs(2)
                .rpc("block", (leader, args) -> {
                    running.countDown();
                    return release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }))) {
            Gaggle leader = cluster.awaitLeader();
            CompletableFuture<JsonNode> blocked = dispatch(leader, "block");
            assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            for (int overflow = 0; overflow < 3; overflow++) {
                assertThat(dispatch(leader, "block")).failsWithin(TIMEOUT)
                        .withThrowableOfType(ExecutionException.class).havingCause()
                        .isInstanceOf(GaggleRpcException.class)
                        .withMessage("the leader is busy: its RPC executor ran the call on the consensus thread; "
                                + "retry later");
            }
            release.countDown();
            assertThat(blocked).succeedsWithin(TIMEOUT).satisfies(result -> assertThat(result.asBoolean()).isTrue());
            assertThat(dispatch(leader, "block")).succeedsWithin(TIMEOUT)
                    .satisfies(result -> assertThat(result.asBoolean()).isTrue());
        } finally {
            callerRuns.shutdownNow();
        }
    }

    @Test
    void closingTheNodeLeavesTheSuppliedExecutorRunning() {
        TestCluster cluster = new TestCluster(1, builder -> builder.rpcExecutor(appExecutor)
                .rpc("thread", (leader, args) -> Thread.currentThread().getName()));
        call(cluster.awaitLeader(), "thread");

        cluster.close();

        assertThat(appExecutor.isShutdown()).isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> "still runs", appExecutor)).succeedsWithin(TIMEOUT)
                .isEqualTo("still runs");
    }

    @Test
    void committedListenersRunInOrderOnTheSuppliedListenerThread() {
        List<String> heard = new CopyOnWriteArrayList<>();
        Set<Thread> listenerThreads = ConcurrentHashMap.newKeySet();
        try (TestCluster cluster = new TestCluster(1,
                builder -> builder.listenerThreadFactory(threads("app-listener")))) {
            Gaggle leader = cluster.awaitLeader();
            leader.onCommitted((entry, index) -> {
                listenerThreads.add(Thread.currentThread());
                heard.add(entry.data().asString());
            });
            List<String> values = IntStream.range(0, 200).mapToObj(i -> "v" + i).toList();

            values.stream().map(leader::append).toList().forEach(CompletableFuture::join);

            await().atMost(TIMEOUT).until(() -> heard.size() == values.size());
            assertThat(heard).containsExactlyElementsOf(values);
            assertThat(listenerThreads).hasSize(1).allSatisfy(thread -> assertThat(made).contains(thread));
        }
    }

    @Test
    void theLoopRunsOnAPlatformThreadOfTheNodesOwnWhateverThreadsAreSupplied() {
        AtomicReference<RecordingChannel> channel = new AtomicReference<>();
        try (TestCluster cluster = TestCluster.of(1, (i, memory) -> Gaggle.builder().id("node-" + i).clusterSize(1)
                .channel(() -> {
                    RecordingChannel recording = new RecordingChannel(memory.createChannel());
                    channel.set(recording);
                    return recording;
                })
                .rpcExecutor(appExecutor).listenerThreadFactory(threads("app-listener")).build())) {
            Gaggle leader = cluster.awaitLeader();
            leader.append("sent by the loop").join();
            Set<Thread> senders = channel.get().senders();

            await().atMost(TIMEOUT).until(() -> !senders.isEmpty());
            assertThat(senders).allSatisfy(loop -> {
                assertThat(loop.getName()).isEqualTo("gaggle-loop-node-0");
                assertThat(made).doesNotContain(loop);
                assertThat(loop.isDaemon()).isTrue();
            });
        }
    }
}
