package io.gaggle;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.gaggle.GaggleConfigurationException.Problem;
import io.gaggle.GaggleConfigurationException.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link Gaggle.Builder} rejects invalid settings, naming each one with its reason.
 */
class GaggleBuilderTest {

    /** An application without state. */
    private static final Snapshotter NO_STATE = new Snapshotter() {
        @Override
        public void save(long index, OutputStream out) {
        }

        @Override
        public void restore(long index, InputStream in) {
        }
    };

    private static Gaggle.Builder valid() {
        return Gaggle.builder().id("a").clusterSize(3).channel(ChannelConfig.memory("builder-test"));
    }

    private static List<Problem> problems(Gaggle.Builder builder) {
        Throwable thrown = catchThrowable(builder::build);
        assertThat(thrown).isInstanceOf(GaggleConfigurationException.class);
        return ((GaggleConfigurationException) thrown).getProblems();
    }

    @Test
    void aMissingIdIsRejected() {
        assertThat(problems(valid().id(null))).containsExactly(new Problem(Setting.ID, "is not set"));
    }

    @Test
    void aBlankIdIsRejected() {
        assertThat(problems(valid().id("  "))).containsExactly(new Problem(Setting.ID, "is blank"));
    }

    @Test
    void aMissingClusterSizeIsRejected() {
        assertThat(problems(Gaggle.builder().id("a").channel(ChannelConfig.memory())))
                .containsExactly(new Problem(Setting.CLUSTER_SIZE, "is not set"));
    }

    @Test
    void aClusterSizeBelowOneIsRejected() {
        assertThat(problems(valid().clusterSize(0)))
                .containsExactly(new Problem(Setting.CLUSTER_SIZE, "is 0, but a cluster has at least 1 node"));
    }

    @Test
    void aMissingChannelIsRejected() {
        assertThat(problems(valid().channel(null))).containsExactly(new Problem(Setting.CHANNEL, "is not set"));
    }

    @Test
    void anElectionTimeoutMinAboveMaxIsRejected() {
        assertThat(problems(valid().electionTimeout(Duration.ofMillis(500), Duration.ofMillis(300))))
                .containsExactly(new Problem(Setting.ELECTION_TIMEOUT_MIN,
                        "is 500 ms, longer than the maximum election timeout (300 ms)"));
    }

    @Test
    void aNegativeElectionTimeoutIsRejected() {
        assertThat(problems(valid().electionTimeout(Duration.ofMillis(300), Duration.ofMillis(-1))))
                .containsExactly(new Problem(Setting.ELECTION_TIMEOUT_MAX, "is PT-0.001S, but must be at least 1 ms"));
    }

    @Test
    void aMissingHeartbeatIntervalIsRejected() {
        assertThat(problems(valid().heartbeatInterval(null)))
                .containsExactly(new Problem(Setting.HEARTBEAT_INTERVAL, "is not set"));
    }

    @Test
    void aZeroHeartbeatIntervalIsRejected() {
        assertThat(problems(valid().heartbeatInterval(Duration.ZERO)))
                .containsExactly(new Problem(Setting.HEARTBEAT_INTERVAL, "is PT0S, but must be at least 1 ms"));
    }

    @Test
    void aDurationShorterThanTheClocksMillisecondIsRejected() {
        assertThat(problems(valid().heartbeatInterval(Duration.ofNanos(500_000))))
                .containsExactly(
                        new Problem(Setting.HEARTBEAT_INTERVAL, "is PT0.0005S, but must be at least 1 ms"));
    }

    @Test
    void aHeartbeatIntervalNotShorterThanTheElectionTimeoutIsRejected() {
        assertThat(problems(valid().heartbeatInterval(Duration.ofMillis(300))))
                .containsExactly(new Problem(Setting.HEARTBEAT_INTERVAL, "is 300 ms, not shorter than the minimum "
                        + "election timeout (300 ms), so followers would stand for election while the leader is "
                        + "alive"));
    }

    @Test
    void aRejectedElectionTimeoutIsNotComparedWithTheHeartbeatInterval() {
        assertThat(problems(valid().electionTimeout(Duration.ZERO, Duration.ofMillis(500))))
                .containsExactly(new Problem(Setting.ELECTION_TIMEOUT_MIN, "is PT0S, but must be at least 1 ms"));
    }

    @Test
    void maxPendingAppendsBelowOneIsRejected() {
        assertThat(problems(valid().maxPendingAppends(0))).containsExactly(
                new Problem(Setting.MAX_PENDING_APPENDS, "is 0, but at least one append must be able to wait"));
    }

    @Test
    void anRpcExecutorThatDiscardsCallsItCannotTakeIsRejected() {
        ThreadPoolExecutor discarding = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new ThreadPoolExecutor.DiscardPolicy());
        try {
            assertThat(problems(valid().rpcExecutor(discarding))).containsExactly(new Problem(Setting.RPC_EXECUTOR,
                    "is a ThreadPoolExecutor that discards calls it cannot take (DiscardPolicy), whose callers would "
                            + "never be answered; give it a policy that rejects them, such as AbortPolicy"));
        } finally {
            discarding.shutdown();
        }
    }

    @Test
    void anRpcExecutorThatDiscardsItsOldestCallsIsRejected() {
        ThreadPoolExecutor discarding = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new ThreadPoolExecutor.DiscardOldestPolicy());
        try {
            assertThat(problems(valid().rpcExecutor(discarding))).extracting(Problem::setting)
                    .containsExactly(Setting.RPC_EXECUTOR);
        } finally {
            discarding.shutdown();
        }
    }

    @Test
    void aListenerThreadFactoryThatReturnsNoThreadIsRejected() {
        assertThat(problems(valid().listenerThreadFactory(runnable -> null))).containsExactly(
                new Problem(Setting.LISTENER_THREAD_FACTORY, "returned no thread (null), so listeners would never run"));
    }

    @Test
    void aSnapshotThresholdWithoutASnapshotterIsRejected() {
        assertThat(problems(valid().snapshotThreshold(1000))).containsExactly(new Problem(Setting.SNAPSHOT_THRESHOLD,
                "is 1000, but no snapshotter is set, so the node takes no snapshots and keeps every entry; set a "
                        + "snapshotter too, or leave snapshotThreshold unset"));
    }

    @Test
    void trailingSnapshotEntriesWithoutASnapshotterAreRejected() {
        assertThat(problems(valid().snapshotTrailingEntries(10))).extracting(Problem::setting)
                .containsExactly(Setting.SNAPSHOT_TRAILING_ENTRIES);
    }

    @Test
    void aSnapshotThresholdBelowOneIsRejected() {
        assertThat(problems(valid().snapshotter(NO_STATE).snapshotThreshold(0))).containsExactly(
                new Problem(Setting.SNAPSHOT_THRESHOLD, "is 0, but must be at least 1"));
    }

    @Test
    void negativeTrailingSnapshotEntriesAreRejected() {
        assertThat(problems(valid().snapshotter(NO_STATE).snapshotTrailingEntries(-1))).containsExactly(
                new Problem(Setting.SNAPSHOT_TRAILING_ENTRIES, "is -1, but must be at least 0"));
    }

    @Test
    void snapshotSettingsAtTheirBoundsAreAccepted() {
        Gaggle node = valid().snapshotter(NO_STATE).snapshotThreshold(1).snapshotTrailingEntries(0).build();
        node.close().join();
    }

    @Test
    void everyInvalidSettingIsReportedAtOnce() {
        Gaggle.Builder builder = Gaggle.builder().electionTimeout(Duration.ofMillis(500), Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(600)).maxPendingAppends(-1);

        assertThat(problems(builder)).extracting(Problem::setting).containsExactly(Setting.ID, Setting.CLUSTER_SIZE,
                Setting.CHANNEL, Setting.ELECTION_TIMEOUT_MIN, Setting.HEARTBEAT_INTERVAL, Setting.MAX_PENDING_APPENDS);
    }

    @Test
    void theMessageListsEachSettingWithItsReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id(null).clusterSize(0).build())
                .withMessage("id is not set; clusterSize is 0, but a cluster has at least 1 node");
    }

    @Test
    void anRpcNameRegisteredTwiceIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().rpc("foo", (leader, args) -> 1).rpc("foo", (leader, args) -> 2))
                .withMessageContaining("'foo' is registered twice");
    }

    @Test
    void nullDataIsRejectedOnAppend() {
        Gaggle node = valid().build();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> node.append(null))
                    .withMessageContaining("data must not be null");
        } finally {
            node.close().join();
        }
    }

    @Test
    void aNegativeTimeoutIsRejectedOnAppend() {
        Gaggle node = valid().build();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> node.append("x", Duration.ofMillis(-5)))
                    .withMessageContaining("timeout must not be negative");
        } finally {
            node.close().join();
        }
    }

    @Test
    void aSecretShorterThanSixteenCharactersIsRejected() {
        assertThat(problems(valid().secret("too short")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.setting()).isEqualTo(Setting.SECRET);
                    assertThat(problem.reason()).startsWith("has 9 characters, fewer than 16");
                });
    }

    @Test
    void aPreviousSecretWithoutASecretIsRejected() {
        assertThat(problems(valid().previousSecret("the secret we move away from")))
                .extracting(Problem::setting).containsExactly(Setting.PREVIOUS_SECRET);
    }

    @Test
    void membersSetTheClusterSize() {
        Gaggle node = Gaggle.builder().id("a").members("a", "b", "c", "d", "e").channel(ChannelConfig.memory("m"))
                .build();
        try {
            assertThat(node.getStatus().clusterSize()).isEqualTo(5);
        } finally {
            node.close().join();
        }
    }

    @Test
    void aClusterSizeOtherThanTheNumberOfMembersIsRejected() {
        assertThat(problems(valid().members("a", "b")))
                .containsExactly(new Problem(Setting.CLUSTER_SIZE,
                        "is 3, but 2 members are named; leave it unset to follow them"));
    }

    @Test
    void membersMustNameThisNode() {
        assertThat(problems(valid().clusterSize(2).members("b", "c")))
                .containsExactly(new Problem(Setting.MEMBERS, "does not name this node's id, a"));
    }

    @Test
    void membersMustNameEachNodeOnce() {
        assertThat(problems(Gaggle.builder().id("a").channel(ChannelConfig.memory()).members("a", "b", "a")))
                .extracting(Problem::setting).contains(Setting.MEMBERS);
    }

    @Test
    void aNodeWithoutStorageSaysItKeepsItsStateInMemory() {
        Gaggle node = valid().build();
        try {
            assertThat(node.getStatus().storage()).isEqualTo(GaggleStatus.MEMORY_STORAGE);
        } finally {
            node.close().join();
        }
    }

    @Test
    void aNodeWithStorageSaysWhichDirectoryHoldsItsState(@TempDir Path directory) {
        Gaggle node = valid().storage(directory).build();
        try {
            assertThat(node.getStatus().storage()).isEqualTo(directory.toAbsolutePath().toString());
        } finally {
            node.close().join();
        }
    }
}
