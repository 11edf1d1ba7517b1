package io.gaggle.node;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes as processes of their own on a real Redis, killed with {@code kill -9}, stopped with
 * SIGSTOP and restarted: with a storage directory a node keeps its term, vote and log across a
 * restart, so nothing acknowledged is lost; without one it keeps nothing, and a node that saw an
 * entry committed which the cluster then lost says so.
 */
class ProcessRestartTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(JsonMapper.builder().build());

    private final String channelName = "restart-" + UUID.randomUUID();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private RedisClient redis;

    @AfterEach
    void tearDown() {
        nodes.forEach(NodeProcess::close);
        if (redis != null) {
            redis.shutdown();
        }
    }

    @Test
    void everyAcknowledgedAppendIsCommittedOnceOnEveryNodeAfterAllAreKilledAtOnce(@TempDir Path directories) {
        startCluster(directories);
        for (int round = 0; round < 3; round++) {
            NodeProcess.awaitLeader(nodes);
            int acknowledgedBefore = acknowledged().size();
            for (NodeProcess node : nodes) {
                node.append("round" + round + "-" + node.id, 2, 1_000_000);
            }
            await().atMost(CONVERGE).until(() -> acknowledged().size() >= acknowledgedBefore + 100);

            NodeProcess.kill9(nodes.toArray(NodeProcess[]::new));
            nodes.forEach(NodeProcess::start);
            nodes.forEach(NodeProcess::awaitConnected);
            awaitSameCommittedLogContaining(nodes, acknowledged());
        }

        List<String> log = nodes.get(0).delivered();
        assertThat(log).as("delivered once each").doesNotHaveDuplicates().containsAll(acknowledged());
        for (NodeProcess node : nodes) {
            assertThat(node.delivered()).as(node.id).isEqualTo(log);
            assertThat(node.failed()).as(node.id).isEmpty();
            for (List<String> earlier : node.deliveredByIncarnation()) {
                assertThat(log).as("%s delivered before a restart", node.id).startsWith(earlier.toArray(String[]::new));
            }
        }
    }

    @Test
    void withStorageAnAcknowledgedEntrySurvivesItsLeaderStallingAndItsOtherHolderRestarting(
            @TempDir Path directories) {
        startCluster(directories);
        Scenario scenario = stallTheLeaderAndRestartTheOtherHolderOfAnEntry();

        NodeProcess newLeader = NodeProcess.awaitLeader(List.of(scenario.restarted, scenario.cutOff));
        assertThat(newLeader).as("the restarted node, which recovered the entry").isSameAs(scenario.restarted);
        newLeader.append("after", 1, 3);
        NodeProcess.awaitAcknowledged(newLeader, "after", 3);
        scenario.leader.resume();

        awaitSameCommittedLogContaining(nodes, Set.of(scenario.entry, "after.0.2"));
        await().atMost(CONVERGE).until(() -> nodes.stream().map(node -> node.status().commitIndex()).distinct()
                .count() == 1);
        for (NodeProcess node : nodes) {
            assertThat(node.delivered()).as(node.id).containsOnlyOnce(scenario.entry);
            assertThat(node.status().fault()).as(node.id).isNull();
            assertThat(node.errors()).as(node.id).isEmpty();
        }
    }

    @Test
    void inMemoryTheEntryIsLostAndTheNodeThatSawItCommittedReportsAFaultButKeepsCommitting() {
        startCluster(null);
        Scenario scenario = stallTheLeaderAndRestartTheOtherHolderOfAnEntry();

        NodeProcess newLeader = NodeProcess.awaitLeader(List.of(scenario.restarted, scenario.cutOff));
        assertThat(newLeader).as("the cut-off node, since the restarted one came back empty")
                .isSameAs(scenario.cutOff);
        newLeader.append("after", 1, 3);
        NodeProcess.awaitAcknowledged(newLeader, "after", 3);
        scenario.leader.resume();
        await().atMost(CONVERGE).until(() -> scenario.leader.status().fault() != null);
        newLeader.append("later", 1, 3);
        NodeProcess.awaitAcknowledged(newLeader, "later", 3);

        for (NodeProcess node : nodes) {
            await(node.id).atMost(CONVERGE).until(() -> node.delivered().contains("later.0.2"));
        }
        assertThat(scenario.leader.delivered()).as("delivered on the stalled leader").contains(scenario.entry);
        assertThat(scenario.leader.status().fault()).contains("the cluster lost a committed entry");
        assertThat(scenario.leader.errors()).anySatisfy(line -> assertThat(line)
                .contains("the cluster lost a committed entry"));
        for (NodeProcess node : List.of(scenario.restarted, scenario.cutOff)) {
            assertThat(node.delivered()).as(node.id).doesNotContain(scenario.entry);
            assertThat(node.status().fault()).as(node.id).isNull();
            assertThat(node.errors()).as(node.id).isEmpty();
        }
    }

    @Test
    void withStorageARestartedNodeRefusesASecondCandidateInTheTermItVotedIn(@TempDir Path directory) {
        NodeProcess voter = startAlone(directory);
        long term = voter.status().term() + 1;

        assertThat(askForVote(voter, "candidate-x", term)).isEqualTo(new RequestVoteResponse(term, true, false));
        NodeProcess.kill9(voter);
        voter.start();
        voter.awaitConnected();

        assertThat(voter.status().term()).isEqualTo(term);
        assertThat(askForVote(voter, "candidate-y", term)).as("refused: it voted for candidate-x in term %d", term)
                .isEqualTo(new RequestVoteResponse(term, false, false));
    }

    @Test
    void inMemoryARestartedNodeVotesAgainInATermItVotedIn() {
        NodeProcess voter = startAlone(null);
        long term = voter.status().term() + 1;

        assertThat(askForVote(voter, "candidate-x", term)).isEqualTo(new RequestVoteResponse(term, true, false));
        NodeProcess.kill9(voter);
        voter.start();
        voter.awaitConnected();

        assertThat(voter.status().term()).as("forgotten").isZero();
        assertThat(askForVote(voter, "candidate-y", term)).isEqualTo(new RequestVoteResponse(term, true, false));
    }

    /** Where the opening scenario of issue 12 leaves the cluster. */
    private record Scenario(NodeProcess leader, NodeProcess restarted, NodeProcess cutOff, String entry) {
    }

    /**
     * A follower is cut off; entry E is appended on whichever of the other two leads and
     * acknowledged, so both hold it; the one that leads then (the leader, A) is stopped (SIGSTOP);
     * the other holder is killed and restarted; the cut-off node comes back. A stays stopped.
     */
    private Scenario stallTheLeaderAndRestartTheOtherHolderOfAnEntry() {
        NodeProcess first = NodeProcess.awaitLeader(nodes);
        first.append("before", 1, 3);
        NodeProcess.awaitAcknowledged(first, "before", 3);
        await().atMost(CONVERGE).until(() -> nodes.stream().map(node -> node.status().commitIndex()).distinct()
                .count() == 1);

        NodeProcess cutOff = followerOf(NodeProcess.awaitLeader(nodes), nodes);
        cutOff.sever();
        List<NodeProcess> holders = nodes.stream().filter(node -> node != cutOff).toList();
        NodeProcess appender = NodeProcess.awaitLeader(holders);
        appender.append("e", 1, 1);
        NodeProcess.awaitAcknowledged(appender, "e", 1);
        await().atMost(CONVERGE).until(() -> holders.get(0).status().lastLogIndex()
                == holders.get(1).status().lastLogIndex());
        // Leadership may have moved between the two since E was appended: A is whoever leads now.
        NodeProcess leader = NodeProcess.awaitLeader(holders);
        NodeProcess holder = followerOf(leader, holders);
        assertThat(cutOff.status().lastLogIndex()).as("entries on the cut-off node")
                .isLessThan(leader.status().lastLogIndex());
        leader.stop();
        NodeProcess.kill9(holder);
        holder.start();
        holder.awaitConnected();
        cutOff.restore();
        return new Scenario(leader, holder, cutOff, "e.0.0");
    }

    /** A node of {@code group} other than {@code leader}. */
    private static NodeProcess followerOf(NodeProcess leader, List<NodeProcess> group) {
        return group.stream().filter(node -> node != leader).findFirst().orElseThrow();
    }

    private void startCluster(Path directories) {
        for (String id : List.of("a", "b", "c")) {
            nodes.add(new NodeProcess(id, channelName, TestRedis.url(),
                    directories == null ? null : directories.resolve(id)));
        }
        nodes.forEach(NodeProcess::awaitConnected);
    }

    /** One node of a three-node cluster whose other nodes never start: it can vote, but never win. */
    private NodeProcess startAlone(Path directory) {
        NodeProcess voter = new NodeProcess("voter", channelName, TestRedis.url(), directory);
        nodes.add(voter);
        voter.awaitConnected();
        return voter;
    }

    /** Waits until every one of {@code group} delivered the same entries, {@code expected} among them. */
    private static void awaitSameCommittedLogContaining(List<NodeProcess> group, Set<String> expected) {
        await().atMost(CONVERGE).untilAsserted(() -> {
            List<String> first = group.get(0).delivered();
            assertThat(first).as("delivered on %s", group.get(0).id).containsAll(expected);
            for (NodeProcess node : group) {
                assertThat(node.delivered()).as("delivered on %s", node.id).isEqualTo(first);
            }
        });
    }

    private Set<String> acknowledged() {
        return nodes.stream().flatMap(node -> node.acknowledged().stream()).collect(Collectors.toSet());
    }

    /**
     * Sends {@code voter} a RequestVote from {@code candidate}, an id no node has, for {@code term},
     * with an empty log, as over Redis; returns the answer it publishes on the candidate's channel.
     */
    private RequestVoteResponse askForVote(NodeProcess voter, String candidate, long term) {
        if (redis == null) {
            redis = RedisClient.create(TestRedis.url());
        }
        BlockingQueue<Envelope> answers = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<byte[], byte[]> subscriber = redis.connectPubSub(ByteArrayCodec.INSTANCE);
                StatefulRedisConnection<byte[], byte[]> publisher = redis.connect(ByteArrayCodec.INSTANCE)) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    try {
                        answers.add(CODEC.decode(message));
                    } catch (MalformedEnvelopeException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            subscriber.sync().subscribe(utf8(RedisChannel.directChannel(channelName, candidate)));
            RequestVoteRequest request = new RequestVoteRequest(term, -1, 0, false, false);
            assertThat(publisher.sync().publish(utf8(RedisChannel.directChannel(channelName, voter.id)),
                    CODEC.encode(new Envelope(candidate, System.currentTimeMillis(), voter.id, 0, request))))
                    .as("subscribers of %s's channel", voter.id).isOne();
            return await().atMost(CONVERGE).until(() -> Stream.ofNullable(answers.poll(100, TimeUnit.MILLISECONDS))
                    .filter(answer -> answer.from().equals(voter.id))
                    .map(Envelope::message).filter(RequestVoteResponse.class::isInstance)
                    .map(RequestVoteResponse.class::cast).findFirst().orElse(null), answer -> answer != null);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
