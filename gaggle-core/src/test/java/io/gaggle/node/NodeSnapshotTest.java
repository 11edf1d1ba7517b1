package io.gaggle.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleClosedException;
import io.gaggle.GaggleStatus;
import io.gaggle.LogEntry;
import io.gaggle.Snapshotter;
import io.gaggle.channel.ChannelState;
import io.gaggle.raft.SnapshotWriter;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots of a real node's application state: taken by the {@link Snapshotter} in order with the
 * committed listeners, restored at a restart before later entries, sent to a follower that fell
 * behind the leader's compacted log. The application here counts: its state is the index of the
 * last entry it applied.
 */
class NodeSnapshotTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path directory;

    @Test
    void theStateSavedAtAnIndexIsTheStateAfterExactlyThatEntry() {
        CountingState state = new CountingState();
        try (TestCluster cluster = new TestCluster(1, builder -> snapshotting(builder, state, 10, 0))) {
            Gaggle node = cluster.awaitLeader();
            state.follow(node);
            for (int wave = 0; wave < 10; wave++) {
                appendAll(node, 4); // several turns, each committing a few entries
            }

            await().atMost(TIMEOUT).until(() -> state.saved.size() >= 2);
            assertThat(state.saved).allSatisfy(save -> assertThat(save.applied()).isEqualTo(save.index()));
        }
    }

    @Test
    void aSnapshotCompactsTheLogWhichStillCountsIndexesFromTheFirstEntryEver() {
        CountingState state = new CountingState();
        try (TestCluster cluster = new TestCluster(1, builder -> snapshotting(builder, state, 10, 2))) {
            Gaggle node = cluster.awaitLeader();
            state.follow(node);
            appendAll(node, 25);

            // Read once no snapshot is under way, so the status and the log agree.
            await().atMost(TIMEOUT).untilAsserted(() -> {
                GaggleStatus status = node.getStatus();
                List<LogEntry> log = node.getLog();
                assertThat(status.snapshotIndex()).isGreaterThanOrEqualTo(9);
                assertThat(status.firstLogIndex()).isEqualTo(status.snapshotIndex() - 2 + 1);
                assertThat(log).hasSize((int) (status.lastLogIndex() - status.firstLogIndex() + 1));
                assertThat(log.get(log.size() - 1).data().asString()).isEqualTo("entry 25");
                assertThat(node.getCommitIndex()).isEqualTo(status.lastLogIndex());
            });
        }
    }

    @Test
    void aSnapshotterThatThrowsIsLoggedAndTheNodeKeepsCommitting() {
        Logger logger = (Logger) LoggerFactory.getLogger(StateSnapshots.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        CountingState state = new CountingState();
        state.failSaves = true;
        try (TestCluster cluster = new TestCluster(1, builder -> snapshotting(builder, state, 10, 0))) {
            Gaggle node = cluster.awaitLeader();
            state.follow(node);
            appendAll(node, 25);

            assertThat(state.events).hasSize(25);
            await().atMost(TIMEOUT).until(() -> !log.list.isEmpty());
            assertThat(node.getStatus().snapshotIndex()).isEqualTo(-1);
            assertThat(node.getStatus().firstLogIndex()).isZero();
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).first().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).startsWith("Gaggle node node-0: the snapshot at index ")
                    .contains(" failed, so the log keeps the entries");
        });
    }

    @Test
    void aNodeWhoseRestoreFailsReportsTheFaultAndClosesRatherThanServeAStateItNoLongerBuilds() {
        CountingState before = new CountingState();
        try (TestCluster cluster = new TestCluster(1, builder -> snapshotting(builder, before, 10, 2)
                .storage(directory))) {
            Gaggle node = cluster.awaitLeader();
            before.follow(node);
            appendAll(node, 25);
            await().atMost(TIMEOUT).until(() -> node.getStatus().snapshotIndex() >= 9);
        }

        CountingState after = new CountingState();
        after.failRestores = true;
        try (TestCluster cluster = TestCluster.of(1, (i, channel) -> {
            Gaggle node = snapshotting(node(channel), after, 10, 2).storage(directory).build();
            after.follow(node);
            return node;
        })) {
            Gaggle node = cluster.nodes().get(0);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(node.getStatus().channelState())
                    .isEqualTo(ChannelState.CLOSED));
            assertThat(node.getStatus().fault()).startsWith("the application's state is unknown: restoring the "
                    + "snapshot at index ").contains("corrupt state");
            assertThatThrownBy(() -> node.readBarrier().join()).hasCauseInstanceOf(GaggleClosedException.class);
            assertThat(after.events).isEmpty();
        }
    }

    @Test
    void aRestartRestoresTheLatestSnapshotBeforeDeliveringTheEntriesAfterIt() {
        CountingState before = new CountingState();
        long lastIndex;
        try (TestCluster cluster = new TestCluster(1, builder -> snapshotting(builder, before, 10, 2)
                .storage(directory))) {
            Gaggle node = cluster.awaitLeader();
            before.follow(node);
            appendAll(node, 25);
            await().atMost(TIMEOUT).until(() -> node.getStatus().snapshotIndex() >= 9);
            lastIndex = node.getCommitIndex();
        }

        CountingState after = new CountingState();
        try (TestCluster cluster = TestCluster.of(1, (i, channel) -> {
            Gaggle node = snapshotting(node(channel), after, 10, 2).storage(directory).build();
            after.follow(node);
            return node;
        })) {
            await().atMost(TIMEOUT).until(() -> after.applied == lastIndex);

            // The latest snapshot: the one seen before the close, or a later one taken as it closed.
            long restored = Long.parseLong(after.events.get(0).replaceAll("restore (\\d+): .*", "$1"));
            assertThat(restored).isGreaterThanOrEqualTo(9);
            assertThat(after.events.get(0)).isEqualTo("restore " + restored + ": " + restored);
            assertThat(after.events.subList(1, after.events.size()))
                    .containsExactlyElementsOf(entryEvents(restored + 1, lastIndex));
        }
    }

    @Test
    void aFollowerFarBehindCatchesUpFromTheLeadersSnapshot() {
        List<CountingState> states = List.of(new CountingState(), new CountingState(), new CountingState());
        try (TestCluster cluster = TestCluster.of(3, (i, channel) -> {
            Gaggle node = snapshotting(node(channel).id("node-" + i).clusterSize(3), states.get(i), 10, 0).build();
            states.get(i).follow(node);
            return node;
        })) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle behind = cluster.aFollower();
            CountingState behindState = states.get(cluster.nodes().indexOf(behind));
            cluster.cut(behind);
            appendAll(leader, 40);
            await().atMost(TIMEOUT).until(() -> leader.getStatus().firstLogIndex() > behind.getCommitIndex() + 1);

            cluster.restore(behind);

            await().atMost(TIMEOUT).until(() -> behind.getCommitIndex() == leader.getCommitIndex());
            await().atMost(TIMEOUT).until(() -> behindState.applied == leader.getCommitIndex());
            assertThat(behindState.events).anySatisfy(event -> assertThat(event).startsWith("restore "));
            assertThat(behind.getStatus().fault()).isNull();
        }
    }

    @Test
    void aNodeHoldingASnapshotWithoutASnapshotterRefusesToStart() throws IOException {
        try (FileRaftStorage storage = FileRaftStorage.open(directory, MAPPER)) {
            SnapshotWriter writer = storage.snapshots().write(41, 1, List.of());
            writer.content().write("41".getBytes(StandardCharsets.UTF_8));
            writer.publish();
        }

        assertThatThrownBy(() -> node(ChannelConfig.memory("refused")).storage(directory).build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("holds a snapshot at index 41, but this node has no snapshotter");
    }

    @Test
    void aLogCompactedBeyondItsLatestSnapshotIsRefused() {
        try (FileRaftStorage storage = FileRaftStorage.open(directory, MAPPER)) {
            storage.log().resetTo(100, 1);
            storage.sync();
        }

        assertThatThrownBy(() -> snapshotting(node(ChannelConfig.memory("refused")), new CountingState(), 10, 0)
                .storage(directory).build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("the log starts at index 101 but there is no snapshot");
    }

    private static Gaggle.Builder node(ChannelConfig channel) {
        return Gaggle.builder().id("node-0").clusterSize(1).channel(channel)
                .electionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(20));
    }

    private static Gaggle.Builder snapshotting(Gaggle.Builder builder, CountingState state, long threshold,
            long trailing) {
        return builder.snapshotter(state).snapshotThreshold(threshold).snapshotTrailingEntries(trailing)
                .electionTimeout(Duration.ofMillis(150), Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(20));
    }

    /** Appends "entry 1" to "entry n" and waits until they commit. */
    private static void appendAll(Gaggle node, int n) {
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            appends.add(node.append("entry " + i));
        }
        appends.forEach(CompletableFuture::join);
    }

    private static List<String> entryEvents(long from, long to) {
        List<String> events = new ArrayList<>();
        for (long index = from; index <= to; index++) {
            events.add("entry " + index);
        }
        return events;
    }

    /** What a save saw: the snapshot's index, and the index of the last entry the state had applied. */
    private record Save(long index, long applied) {
    }

    /** The application: the index of the last entry applied; saved and restored as text. */
    private static final class CountingState implements Snapshotter {

        final List<Save> saved = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile long applied = -1;
        volatile boolean failSaves;
        volatile boolean failRestores;

        void follow(Gaggle node) {
            node.onCommitted((entry, index) -> {
                events.add("entry " + index);
                applied = index;
            });
        }

        @Override
        public void save(long index, OutputStream out) throws IOException {
            if (failSaves) {
                throw new IOException("disk full");
            }
            saved.add(new Save(index, applied));
            out.write(Long.toString(applied).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void restore(long index, InputStream in) throws IOException {
            if (failRestores) {
                throw new IOException("corrupt state");
            }
            applied = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            events.add("restore " + index + ": " + applied);
        }
    }
}
