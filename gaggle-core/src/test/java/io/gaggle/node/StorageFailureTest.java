package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleClosedException;
import io.gaggle.GaggleStatus;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.FileSystemDirectory;
import io.gaggle.storage.RecordingDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose disk fails (a write or fsync throws) stops: it no longer knows what it holds, so it
 * sends nothing that what it failed to write would back (Raft paper, Figure 2: persistent state
 * is on stable storage before responding to RPCs), fails its callers, says why, and frees its
 * directory for the node the operator starts once the disk is fixed. node-2 keeps its state on a
 * disk that fails on demand, in a cluster of three on the memory channel unless a test says otherwise.
 */
class StorageFailureTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path directory;
    private RecordingDirectory disk;
    private RecordingChannel channel;

    @Test
    void aNodeWhoseDiskFailsClosesAndReportsTheFault() {
        try (TestCluster cluster = clusterWithFailingDisk()) {
            Gaggle failing = cluster.nodes().get(2);
            appendOnceTheDiskFails(cluster, failing, "unsynced");

            GaggleStatus status = awaitClosed(failing);
            assertThat(status.fault()).startsWith("storage failed: ").contains("Input/output error");
            assertThat(status.role()).isEqualTo(Role.FOLLOWER);
        }
    }

    @Test
    void aNodeWhoseDiskFailsLogsAnError() {
        Logger logger = (Logger) LoggerFactory.getLogger(GaggleNode.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (TestCluster cluster = clusterWithFailingDisk()) {
            Gaggle failing = cluster.nodes().get(2);
            appendOnceTheDiskFails(cluster, failing, "unsynced");
            awaitClosed(failing);
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("node-2: storage failed");
        });
    }

    @Test
    void aFollowerWhoseDiskFailsNeverAcknowledgesTheEntriesItCouldNotSync() {
        try (TestCluster cluster = clusterWithFailingDisk()) {
            Gaggle failing = cluster.nodes().get(2);
            Gaggle leader = appendOnceTheDiskFails(cluster, failing, "unsynced");
            long index = indexOf(leader, "unsynced");

            awaitClosed(failing);
            assertThat(indexOf(failing, "unsynced")).as("received, but not synced").isEqualTo(index);
            assertThat(channel.sent()).filteredOn(AppendEntriesResponse.class::isInstance)
                    .map(AppendEntriesResponse.class::cast)
                    .noneMatch(response -> response.success() && response.matchIndex() >= index);
        }
    }

    @Test
    void aNodeWhoseDiskFailsGrantsNoVoteItCouldNotSave() throws Exception {
        // node-2 alone, its peers never started: no leader it hears makes it ignore the candidate.
        String hub = "vote-" + UUID.randomUUID();
        Gaggle voter = nodeOnFailingDisk(ChannelConfig.memory(hub));
        Channel candidate = ChannelConfig.memory(hub).createChannel();
        try {
            voter.start();
            candidate.open("candidate-x", envelope -> { });
            long term = voter.getTerm() + 1;

            disk.failing = true;
            candidate.send("node-2", CODEC.encode(new Envelope("candidate-x", System.currentTimeMillis(), "node-2", 0,
                    new RequestVoteRequest(term, -1, 0, false, false))));

            assertThat(awaitClosed(voter).fault()).as("the vote it could not save")
                    .contains("term " + term + " and vote candidate-x");
            assertThat(channel.sent()).filteredOn(RequestVoteResponse.class::isInstance)
                    .map(RequestVoteResponse.class::cast).noneMatch(RequestVoteResponse::granted);
        } finally {
            voter.close().join();
            candidate.close().join();
        }
    }

    @Test
    void aLeaderWhoseDiskFailsTellsItsRoleListenersItNoLongerLeads() {
        Gaggle leader = nodeOnFailingDisk(ChannelConfig.memory("alone-" + UUID.randomUUID()), 1);
        List<String> changes = new CopyOnWriteArrayList<>();
        leader.onRoleChanged((from, to, term) -> changes.add(from + "->" + to + " in " + term));
        try {
            leader.start();
            await().atMost(PATIENCE).until(leader::isLeader);
            long term = leader.getTerm();

            disk.failing = true;
            leader.append("unsynced");
            awaitClosed(leader);
            leader.close().join(); // completes once the delivery thread told the listeners all

            assertThat(changes).last().isEqualTo("LEADER->FOLLOWER in " + term);
        } finally {
            leader.close().join();
        }
    }

    @Test
    void pendingAppendsOfANodeWhoseDiskFailsFailWithGaggleClosedException() {
        try (TestCluster cluster = clusterWithFailingDisk()) {
            Gaggle failing = cluster.nodes().get(2);
            Gaggle leader = leaderOtherThan(cluster, failing);
            // Alone with node-2, the leader cannot commit the append, so the failure alone ends it.
            cluster.cut(cluster.nodes().stream().filter(node -> node != leader && node != failing)
                    .findFirst().orElseThrow());

            disk.failing = true;
            CompletableFuture<Void> pending = failing.append("pending");

            assertThat(pending).failsWithin(PATIENCE).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(GaggleClosedException.class);
        }
    }

    @Test
    void aNodeWhoseDiskFailedReleasesItsDirectory() {
        try (TestCluster cluster = clusterWithFailingDisk()) {
            Gaggle failing = cluster.nodes().get(2);
            appendOnceTheDiskFails(cluster, failing, "unsynced");
            awaitClosed(failing);

            assertThat(failing.close()).succeedsWithin(PATIENCE);
            FileRaftStorage.open(directory, MAPPER).close();
        }
    }

    @Test
    void aNodeWhoseChannelFailsToCloseStillReleasesItsDirectory() {
        channel = new RecordingChannel(ChannelConfig.memory("alone-" + UUID.randomUUID()).createChannel());
        channel.failingToClose = true;
        Gaggle node = Gaggle.builder().id("alone").clusterSize(1).channel(() -> channel).storage(directory).build();
        node.start();
        await().atMost(PATIENCE).until(node::isLeader);

        assertThat(node.close()).succeedsWithin(PATIENCE);
        FileRaftStorage.open(directory, MAPPER).close();
    }

    /** node-0 and node-1 as the builder makes them; node-2 on {@link #disk}, sending through {@link #channel}. */
    private TestCluster clusterWithFailingDisk() {
        return TestCluster.of(3, (i, memory) -> i < 2
                ? Gaggle.builder().id("node-" + i).clusterSize(3).channel(memory).build()
                : nodeOnFailingDisk(memory));
    }

    private GaggleNode nodeOnFailingDisk(ChannelConfig memory) {
        return nodeOnFailingDisk(memory, 3);
    }

    private GaggleNode nodeOnFailingDisk(ChannelConfig memory, int clusterSize) {
        channel = new RecordingChannel(memory.createChannel());
        disk = new RecordingDirectory(new FileSystemDirectory(directory));
        NodeSettings settings = new NodeSettings("node-2", clusterSize, () -> channel, 300, 500, 50, false, true, 100_000,
                MAPPER, Map.of(), null, null, null, directory, null, 0, 0, null, 1_088, null);
        return new GaggleNode(settings, FileRaftStorage.open(disk, MAPPER));
    }

    /** Fails the disk of {@code failing}, a follower, then appends {@code data} on the leader; returns it. */
    private Gaggle appendOnceTheDiskFails(TestCluster cluster, Gaggle failing, String data) {
        Gaggle leader = leaderOtherThan(cluster, failing);
        disk.failing = true;
        leader.append(data).join();
        return leader;
    }

    /** The leader, once it is not {@code node}: if {@code node} leads, it hands over first. */
    private static Gaggle leaderOtherThan(TestCluster cluster, Gaggle node) {
        Gaggle leader = cluster.awaitLeader();
        if (leader != node) {
            return leader;
        }
        node.transferLeadership().join();
        Gaggle next = cluster.awaitLeader();
        assertThat(next).as("the leader after a handover from %s", node.getId()).isNotSameAs(node);
        return next;
    }

    private static GaggleStatus awaitClosed(Gaggle node) {
        return await().atMost(PATIENCE).until(node::getStatus,
                status -> status.channelState() == ChannelState.CLOSED);
    }

    private static long indexOf(Gaggle node, String data) {
        List<LogEntry> log = node.getLog();
        for (int i = log.size() - 1; i >= 0; i--) {
            LogEntry entry = log.get(i);
            if (!entry.isNoop() && entry.data().asString().equals(data)) {
                return i;
            }
        }
        return -1;
    }
}
