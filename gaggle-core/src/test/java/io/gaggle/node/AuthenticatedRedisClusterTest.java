package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.EnvelopeMac;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.ReadIndexResponse;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.raft.RpcResponse;
import io.gaggle.raft.TimeoutNowRequest;
import io.gaggle.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster with a secret, on a real Redis, against an outsider who can publish on its channels
 * (what anyone with access to a shared Redis can do) but does not hold the secret.
 */
class AuthenticatedRedisClusterTest {

    private static final String SECRET = "correct horse battery staple";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);

    private final String channelName = "auth-test-" + UUID.randomUUID();
    private final RedisClient client = RedisClient.create(TestRedis.url());
    private final StatefulRedisConnection<byte[], byte[]> outsider = client.connect(ByteArrayCodec.INSTANCE);
    private final List<TestCluster> clusters = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clusters.forEach(TestCluster::close);
        outsider.close();
        client.shutdown();
    }

    private TestCluster cluster(UnaryOperator<Gaggle.Builder> settings) {
        return clusterOfNodes(node -> settings);
    }

    /** A cluster whose node {@code i} is built with {@code settingsOfNode.apply(i)}. */
    private TestCluster clusterOfNodes(IntFunction<UnaryOperator<Gaggle.Builder>> settingsOfNode) {
        TestCluster cluster = new TestCluster(3, () -> ChannelConfig.redis(channelName, TestRedis.url()),
                (node, builder) -> settingsOfNode.apply(node).apply(builder.accelerateHeartbeats(true)));
        clusters.add(cluster);
        return cluster;
    }

    @Test
    void forgeriesWithoutTheSecretChangeNothingAndAreCounted() throws Exception {
        TestCluster cluster = cluster(builder -> builder.secret(SECRET));
        Gaggle leader = cluster.awaitLeader();
        leader.append("before").get(10, TimeUnit.SECONDS);
        long term = leader.getTerm();
        List<Long> droppedBefore = cluster.nodes().stream().map(node -> node.getStatus().droppedMessages()).toList();

        for (Gaggle node : cluster.nodes()) {
            for (RaftMessage forgery : forgeries(leader, term)) {
                publishUnsigned(leader.getId(), node.getId(), forgery);
                publishUnsigned("ghost", node.getId(), forgery);
                publishSignedWith("a wrong secret of some length", "ghost", node.getId(), forgery);
            }
        }
        Gaggle follower = cluster.aFollower();
        follower.append("after").get(10, TimeUnit.SECONDS);

        assertThat(cluster.awaitLeader()).isSameAs(leader);
        for (Gaggle node : cluster.nodes()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.committed(node).contains("after"));
            assertThat(node.getTerm()).isEqualTo(term);
            assertThat(TestCluster.committed(node)).containsExactly("before", "after");
            long before = droppedBefore.get(cluster.nodes().indexOf(node));
            assertThat(node.getStatus().droppedMessages()).isGreaterThanOrEqualTo(before + 3L * forgeries(leader,
                    term).size());
        }
    }

    @Test
    void anEnvelopeReplayedUnderANewIncarnationIsDropped() throws Exception {
        TestCluster cluster = cluster(builder -> builder.secret(SECRET));
        Gaggle leader = cluster.awaitLeader();
        Gaggle follower = cluster.aFollower();
        byte[] recorded = recordOneEnvelopeFrom(follower, () -> follower.append("recorded").join());
        long dropped = leader.getStatus().droppedMessages();

        String original = new String(recorded, UTF_8);
        String replayed = original.replaceFirst("\"inc\":\\d+", "\"inc\":" + (System.currentTimeMillis() + 60_000));
        assertThat(replayed).isNotEqualTo(original);
        outsider.sync().publish(directChannel(leader.getId()),
                replayed.getBytes(UTF_8));

        await().atMost(Duration.ofSeconds(5)).until(() -> leader.getStatus().droppedMessages() > dropped);
    }

    @Test
    void anAppendSignedWithTheSecretIsAcceptedFromAnyone() {
        // The control for the tests above: what they forge is refused for its signature alone.
        TestCluster cluster = cluster(builder -> builder.secret(SECRET));
        Gaggle leader = cluster.awaitLeader();

        publishSignedWith(SECRET, "outsider", leader.getId(), forward("signed"));

        for (Gaggle node : cluster.nodes()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.committed(node).contains("signed"));
        }
    }

    @Test
    void aNodeWithTheSecretAsPreviousSecretReadsNodesStillOnIt() throws Exception {
        String next = "the next secret, rotated in";
        TestCluster cluster = clusterOfNodes(node -> node == 0
                ? builder -> builder.secret(next).previousSecret(SECRET)
                : builder -> builder.secret(SECRET).previousSecret(next));
        Gaggle leader = cluster.awaitLeader();

        leader.append("rotating").get(10, TimeUnit.SECONDS);

        for (Gaggle node : cluster.nodes()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.committed(node).contains("rotating"));
        }
    }

    @Test
    void aNodeWithAnotherSecretIsNotHeard() throws Exception {
        TestCluster cluster = clusterOfNodes(node -> builder -> builder.secret(node == 0 ? "a secret of node zero alone"
                : SECRET));
        Gaggle loner = cluster.nodes().get(0);
        Gaggle leader = await().atMost(Duration.ofSeconds(20)).until(() -> cluster.nodes().stream()
                .filter(node -> node != loner && node.isLeader()).findFirst(), Optional::isPresent).orElseThrow();

        leader.append("without node-0").get(10, TimeUnit.SECONDS);

        assertThat(loner.isLeader()).isFalse();
        assertThat(loner.getStatus().droppedMessages()).isPositive();
        assertThat(TestCluster.committed(loner)).isEmpty();
    }

    private List<RaftMessage> forgeries(Gaggle leader, long term) {
        String target = leader.getId().equals("node-1") ? "node-2" : "node-1";
        return List.of(
                forward("forged"),
                new RequestVoteRequest(term + 1, 1_000_000, term, false, true),
                new RequestVoteResponse(term + 1, true, false),
                new AppendEntriesResponse(term, true, 1_000_000, -1, -1, -1, 1_000_000),
                new TimeoutNowRequest(term, target),
                new RpcResponse("unknown-request", JsonNodeFactory.instance.stringNode("forged"), null),
                new ReadIndexResponse("unknown-request", 1_000_000));
    }

    private static AppendForwardRequest forward(String data) {
        return new AppendForwardRequest(List.of(new LogEntry(UUID.randomUUID().toString(), 0,
                JsonNodeFactory.instance.stringNode(data), MAPPER)));
    }

    private void publishUnsigned(String from, String to, RaftMessage message) {
        outsider.sync().publish(directChannel(to), envelope(from, to, message));
    }

    private void publishSignedWith(String secret, String from, String to, RaftMessage message) {
        outsider.sync().publish(directChannel(to), new EnvelopeMac(secret, null).sign(envelope(from, to,
                message)));
    }

    private static byte[] envelope(String from, String to, RaftMessage message) {
        return CODEC.encode(new Envelope(from, System.currentTimeMillis(), to, 0, message));
    }

    private byte[] directChannel(String nodeId) {
        return ("gaggle:" + channelName + ":node:" + nodeId).getBytes(UTF_8);
    }

    /** Listens on the cluster's channels, runs {@code action}, and returns the first envelope {@code node} sent. */
    private byte[] recordOneEnvelopeFrom(Gaggle node, Runnable action) throws InterruptedException {
        String from = "\"from\":\"" + node.getId() + "\"";
        return RedisChannelTap.firstEnvelope(client, channelName, action,
                message -> new String(message, UTF_8).contains(from), "an envelope from " + node.getId());
    }
}
