package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The delivery thread: it runs what each loop turn decided (listener calls, callers' futures) in
 * the order the turn decided it, and never on the loop thread, so a slow listener delays later
 * deliveries but not consensus. The loop collects a turn's deliveries and hands them over at its
 * end; a turn that decided nothing costs no task.
 */
final class Delivery {

    private final ExecutorService thread;
    /** The current turn's deliveries; loop thread only. */
    private List<Runnable> turn = new ArrayList<>();

    Delivery(ThreadFactory threads) {
        this.thread = Executors.newSingleThreadExecutor(threads);
    }

    /** Loop thread: {@code task} runs on the delivery thread after everything added before it. */
    void add(Runnable task) {
        turn.add(task);
    }

    /** Loop thread: hands this turn's deliveries to the delivery thread. */
    void endTurn() {
        if (!turn.isEmpty()) {
            List<Runnable> deliveries = turn;
            turn = new ArrayList<>();
            thread.execute(() -> deliveries.forEach(Runnable::run));
        }
    }

    /** Any thread: runs {@code task} on the delivery thread after what was handed over; completes after it. */
    CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, thread);
    }

    /**
     * Lets what was handed over run, then ends the thread; waits up to {@code timeout} for it, so
     * that a snapshot being saved is done before the storage closes. Returns whether it ended.
     */
    boolean shutdown(Duration timeout) throws InterruptedException {
        thread.shutdown();
        return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
