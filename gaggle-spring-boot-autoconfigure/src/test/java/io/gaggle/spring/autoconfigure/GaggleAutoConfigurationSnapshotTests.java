package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.Gaggle;
import io.gaggle.Snapshotter;
import io.gaggle.raft.SnapshotWriter;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the auto-configured node's snapshots: the application's {@link Snapshotter} bean and
 * {@code gaggle.snapshot.*}. Each context runs a one-node cluster on a memory hub of its own.
 */
class GaggleAutoConfigurationSnapshotTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class))
        .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void theSnapshotterBeanRestoresTheLatestSnapshotAtStart(@TempDir Path directory) throws IOException {
        snapshotIn(directory, 41, "state at 41");
        RecordingSnapshotter snapshotter = new RecordingSnapshotter();
        this.contextRunner.withPropertyValues("gaggle.storage.directory=" + directory)
            .withBean(Snapshotter.class, () -> snapshotter)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(snapshotter.restored).containsExactly("state at 41 at 41");
                assertThat(context.getBean(Gaggle.class).getStatus().snapshotIndex()).isEqualTo(41);
            });
    }

    @Test
    void withoutASnapshotterBeanANodeHoldingASnapshotRefusesToStart(@TempDir Path directory) throws IOException {
        snapshotIn(directory, 41, "state at 41");
        this.contextRunner.withPropertyValues("gaggle.storage.directory=" + directory)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("holds a snapshot at index 41, but this node has no snapshotter"));
    }

    @Test
    void twoSnapshotterBeansAreNotGuessedBetween() {
        this.contextRunner.withBean("first", Snapshotter.class, RecordingSnapshotter::new)
            .withBean("second", Snapshotter.class, RecordingSnapshotter::new)
            .withPropertyValues("gaggle.snapshot.threshold=10")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("gaggle.snapshot.threshold"));
    }

    @Test
    void theSnapshotPropertiesAreBound() {
        this.contextRunner.withBean(Snapshotter.class, RecordingSnapshotter::new)
            .withPropertyValues("gaggle.snapshot.threshold=10", "gaggle.snapshot.trailing-entries=3")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                GaggleProperties.Snapshot snapshot = context.getBean(GaggleProperties.class).getSnapshot();
                assertThat(snapshot.getThreshold()).isEqualTo(10);
                assertThat(snapshot.getTrailingEntries()).isEqualTo(3);
            });
    }

    @Test
    void aThresholdWithoutASnapshotterIsReportedAsTheProperty() {
        this.contextRunner.withPropertyValues("gaggle.snapshot.threshold=10")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("gaggle.snapshot.threshold")
                .hasMessageContaining("no snapshotter is set")
                .extracting("action")
                .asString()
                .contains("Define a Snapshotter bean"));
    }

    @Test
    void aThresholdBelowOneIsReportedAsTheProperty() {
        this.contextRunner.withBean(Snapshotter.class, RecordingSnapshotter::new)
            .withPropertyValues("gaggle.snapshot.threshold=0")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("gaggle.snapshot.threshold")
                .hasMessageContaining("must be at least 1"));
    }

    @Test
    void negativeTrailingEntriesAreReportedAsTheProperty() {
        this.contextRunner.withBean(Snapshotter.class, RecordingSnapshotter::new)
            .withPropertyValues("gaggle.snapshot.trailing-entries=-1")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("gaggle.snapshot.trailing-entries")
                .hasMessageContaining("must be at least 0"));
    }

    /** Needs the core's snapshots (RaftNode.snapshotTaken) to pass. */
    @Test
    void theNodeTakesASnapshotEveryThresholdEntries() {
        RecordingSnapshotter snapshotter = new RecordingSnapshotter();
        this.contextRunner.withBean(Snapshotter.class, () -> snapshotter)
            .withPropertyValues("gaggle.snapshot.threshold=5", "gaggle.snapshot.trailing-entries=0")
            .run((context) -> {
                Gaggle node = context.getBean(Gaggle.class);
                await().atMost(TIMEOUT).until(node::isLeader);
                for (int i = 0; i < 12; i++) {
                    node.append("entry " + i).get();
                }
                await().atMost(TIMEOUT).until(() -> node.getStatus().snapshotIndex() >= 5);
                assertThat(snapshotter.saved).isNotEmpty();
            });
    }

    /** Writes a snapshot into a node's storage directory, as a node that took it would have. */
    private static void snapshotIn(Path directory, long index, String state) throws IOException {
        try (FileRaftStorage storage = FileRaftStorage.open(directory, JsonMapper.shared())) {
            SnapshotWriter writer = storage.snapshots().write(index, 1, List.of());
            writer.content().write(state.getBytes(StandardCharsets.UTF_8));
            writer.publish();
        }
    }

    static class RecordingSnapshotter implements Snapshotter {

        final List<Long> saved = new CopyOnWriteArrayList<>();

        final List<String> restored = new CopyOnWriteArrayList<>();

        @Override
        public void save(long index, OutputStream out) throws IOException {
            this.saved.add(index);
            out.write(("state at " + index).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void restore(long index, InputStream in) throws IOException {
            this.restored.add(new String(in.readAllBytes(), StandardCharsets.UTF_8) + " at " + index);
        }
    }
}
