package io.gaggle.node;

import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.Snapshotter;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotWriter;
import io.gaggle.storage.MemorySnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's snapshots are taken and restored on the delivery thread in order with the
 * committed listeners: the state saved at an index is the state after exactly that entry, and a
 * restored state is followed only by the entries after it. The loop's side is played by hand here;
 * the node's tests run the same through Raft.
 */
class StateSnapshotsTest {

    private static final LogEntry ENTRY = LogEntry.noop(1);

    private final Delivery delivery = new Delivery(Thread::new);
    private final Listeners listeners = new Listeners(delivery);
    private final MemorySnapshotStore store = new MemorySnapshotStore();
    private final LinkedBlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    /** The application's state: the index of the last entry it applied, as its listener saw it. */
    private final CountingState state = new CountingState();

    @AfterEach
    void stop() throws InterruptedException {
        delivery.shutdown(Duration.ofSeconds(10));
        store.close();
    }

    @Test
    void theStateSavedAtAnIndexIsTheStateAfterExactlyThatEntry() throws InterruptedException {
        StateSnapshots snapshots = snapshots(state);
        commit(0, 4);
        snapshots.due(4, 1, List.of("e-4"));
        commit(5, 6);
        delivery.endTurn();

        assertThat(next()).isEqualTo("taken 4");
        assertThat(state.saved).containsExactly("4 at 4");
        assertThat(store.latest()).isEqualTo(new SnapshotMeta(4, 1, 1, List.of("e-4")));
        awaitDelivered(); // the entries after the snapshot are delivered after its outcome
        assertThat(state.applied).isEqualTo(6);
    }

    @Test
    void aSaveThatThrowsIsAbortedAndReportedAsFailed() throws InterruptedException {
        state.failSaves = true;
        StateSnapshots snapshots = snapshots(state);
        commit(0, 4);
        snapshots.due(4, 1, List.of());
        commit(5, 5);
        delivery.endTurn();

        assertThat(next()).isEqualTo("failed 4");
        assertThat(store.latest()).isNull();
        awaitDelivered();
        assertThat(state.applied).isEqualTo(5);
    }

    @Test
    void anInstalledSnapshotIsRestoredAndTheEntriesItHoldsAreNotDeliveredAgain() throws Exception {
        StateSnapshots snapshots = snapshots(state);
        publish(10, "10");
        commit(0, 2);
        snapshots.installed(10);
        commit(8, 12);
        delivery.endTurn();
        awaitDelivered();

        assertThat(state.restored).containsExactly("10 at 10");
        assertThat(state.seen).containsExactly(0L, 1L, 2L, 11L, 12L);
        assertThat(state.applied).isEqualTo(12);
    }

    @Test
    void aSaveAskedForBelowTheRestoredIndexIsReportedAsFailed() throws Exception {
        StateSnapshots snapshots = snapshots(state);
        publish(10, "10");
        snapshots.installed(10);
        snapshots.due(7, 1, List.of());
        delivery.endTurn();

        assertThat(next()).isEqualTo("failed 7");
        assertThat(state.saved).isEmpty();
        assertThat(store.latest().index()).isEqualTo(10);
    }

    @Test
    void aRestoreThatFailsLosesTheStateAndStopsDelivery() throws Exception {
        state.failRestores = true;
        StateSnapshots snapshots = snapshots(state);
        publish(10, "10");
        snapshots.installed(10);
        commit(11, 12);
        snapshots.due(12, 1, List.of());
        delivery.endTurn();

        assertThat(next()).startsWith("lost the application's state is unknown: restoring the snapshot at index 10 "
                + "failed");
        assertThat(next()).isEqualTo("failed 12");
        assertThat(state.seen).isEmpty();
        assertThat(state.saved).isEmpty();
    }

    @Test
    void anInstalledSnapshotWithoutASnapshotterLosesTheState() throws Exception {
        StateSnapshots snapshots = snapshots(null);
        publish(10, "10");
        snapshots.installed(10);
        commit(11, 11);
        delivery.endTurn();

        assertThat(next()).contains("it holds a snapshot at index 10 but has no snapshotter");
        awaitDelivered();
        assertThat(state.seen).isEmpty();
    }

    @Test
    void theLatestSnapshotIsRestoredAtStartBeforeAnyEntryIsDelivered() throws Exception {
        publish(10, "10");
        StateSnapshots snapshots = snapshots(state);

        snapshots.restoreAtStart();

        assertThat(state.restored).containsExactly("10 at 10");
        commit(9, 11);
        delivery.endTurn();
        awaitDelivered();
        assertThat(state.seen).containsExactly(11L);
    }

    @Test
    void aSnapshotPublishedAfterTheInstallIsRestoredWithItsOwnIndex() throws Exception {
        StateSnapshots snapshots = snapshots(state);
        publish(10, "10");
        snapshots.installed(10);
        publish(20, "20");
        commit(15, 21);
        delivery.endTurn();
        awaitDelivered();

        assertThat(state.restored).containsExactly("20 at 20");
        assertThat(state.seen).containsExactly(21L);
    }

    private StateSnapshots snapshots(Snapshotter snapshotter) {
        listeners.onCommitted((entry, index) -> state.apply(index));
        return new StateSnapshots("node-a", snapshotter, store, delivery, listeners, new StateSnapshots.Outcomes() {
            @Override
            public void taken(SnapshotMeta meta) {
                outcomes.add("taken " + meta.index());
            }

            @Override
            public void failed(long index) {
                outcomes.add("failed " + index);
            }

            @Override
            public void stateLost(String fault) {
                outcomes.add("lost " + fault);
            }
        });
    }

    /** The loop commits the entries {@code from} to {@code to}. */
    private void commit(long from, long to) {
        for (long index = from; index <= to; index++) {
            listeners.committed(ENTRY, index);
        }
    }

    /** A snapshot at {@code index} whose content is {@code content}, as one received from a leader. */
    private void publish(long index, String content) throws IOException {
        SnapshotWriter writer = store.write(index, 1, List.of());
        writer.content().write(content.getBytes(StandardCharsets.UTF_8));
        writer.publish();
    }

    private String next() throws InterruptedException {
        String outcome = outcomes.poll(10, TimeUnit.SECONDS);
        assertThat(outcome).as("an outcome within 10 s").isNotNull();
        return outcome;
    }

    private void awaitDelivered() {
        delivery.run(() -> { }).join();
    }

    /** Counts the entries applied; saves and restores the count as text. */
    private static final class CountingState implements Snapshotter {

        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<String> saved = new CopyOnWriteArrayList<>();
        final List<String> restored = new CopyOnWriteArrayList<>();
        volatile long applied = -1;
        volatile boolean failSaves;
        volatile boolean failRestores;

        void apply(long index) {
            seen.add(index);
            applied = index;
        }

        @Override
        public void save(long index, OutputStream out) throws IOException {
            if (failSaves) {
                out.write('x');
                throw new IOException("disk full");
            }
            out.write(Long.toString(applied).getBytes(StandardCharsets.UTF_8));
            saved.add(applied + " at " + index);
        }

        @Override
        public void restore(long index, InputStream in) throws IOException {
            if (failRestores) {
                throw new IOException("unreadable");
            }
            applied = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            restored.add(applied + " at " + index);
        }
    }
}
