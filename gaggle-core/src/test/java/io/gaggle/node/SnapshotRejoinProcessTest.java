package io.gaggle.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.gaggle.channel.socketio.GaggleSocketIoServer;
import io.gaggle.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower whose storage directory was wiped, killed with {@code kill -9} and restarted, catches
 * up by InstallSnapshot (Raft paper, §7): the leader's log no longer holds the entries it lacks.
 * Nodes are processes of their own with file storage and a {@link HashedState}, over a real Redis
 * and over a real Socket.IO relay.
 */
class SnapshotRejoinProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Snapshots every 20 entries, keeping none before them: 100 entries leave the log compacted. */
    private static final List<String> SNAPSHOTS = List.of("--snapshot-threshold", "20", "--snapshot-trailing", "0");

    private final String channelName = "rejoin-" + UUID.randomUUID();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private GaggleSocketIoServer relay;

    @AfterEach
    void tearDown() {
        nodes.forEach(NodeProcess::close);
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aWipedFollowerCatchesUpBySnapshotOverRedis(@TempDir Path directories) {
        assertAWipedFollowerCatchesUpBySnapshot(TestRedis.url(), directories);
    }

    @Test
    void aWipedFollowerCatchesUpBySnapshotOverASocketIoRelay(@TempDir Path directories) {
        relay = new GaggleSocketIoServer("127.0.0.1", 0).start();
        assertAWipedFollowerCatchesUpBySnapshot("http://127.0.0.1:" + relay.port(), directories);
    }

    private void assertAWipedFollowerCatchesUpBySnapshot(String url, Path directories) {
        for (String id : List.of("a", "b", "c")) {
            nodes.add(new NodeProcess(id, channelName, url, directories.resolve(id), SNAPSHOTS));
        }
        nodes.forEach(NodeProcess::awaitConnected);
        NodeProcess leader = NodeProcess.awaitLeader(nodes);
        leader.append("before", 4, 25);
        NodeProcess.awaitAcknowledged(leader, "before", 100);
        awaitSameState();
        NodeProcess follower = nodes.stream().filter(node -> node != leader).findFirst().orElseThrow();
        assertThat(leader.status().firstLogIndex()).as("the leader's first retained index").isGreaterThan(50);

        NodeProcess.kill9(follower);
        delete(directories.resolve(follower.id));
        follower.start();
        follower.awaitConnected();

        awaitSameState();
        assertThat(follower.restored()).as("snapshots %s restored", follower.id).isNotEmpty()
                .allSatisfy(index -> assertThat(index).isGreaterThan(50));
        leader.append("after", 1, 10);
        NodeProcess.awaitAcknowledged(leader, "after", 10);
        awaitSameState();
        assertThat(follower.state().split(" ")[1]).as("entries applied on %s", follower.id).isEqualTo("110");
        assertThat(follower.status().fault()).isNull();
    }

    /** Waits until every node applied the same entries as the leader, all it committed. */
    private void awaitSameState() {
        await().atMost(WAIT).untilAsserted(() -> {
            String state = nodes.get(0).state();
            assertThat(state).isNotNull();
            assertThat(Long.parseLong(state.split(" ")[0])).isEqualTo(nodes.get(0).status().commitIndex());
            assertThat(nodes).extracting(NodeProcess::state).as("applied, count and hash").containsOnly(state);
        });
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
