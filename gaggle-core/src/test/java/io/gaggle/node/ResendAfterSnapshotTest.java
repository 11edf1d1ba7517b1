package io.gaggle.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower's forwarded append, committed and then compacted behind a leader's snapshot, sent
 * again on a real Redis: the leader still knows its id (the ids of recent entries outlive
 * compaction), so it does not commit a second time.
 */
class ResendAfterSnapshotTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);

    private final String channelName = "resend-" + UUID.randomUUID();
    private final RedisClient client = RedisClient.create(TestRedis.url());
    private final StatefulRedisConnection<byte[], byte[]> resender = client.connect(ByteArrayCodec.INSTANCE);
    private final Map<Gaggle, List<String>> committed = new ConcurrentHashMap<>();
    /** The index at which "forwarded" committed. */
    private final AtomicLong forwardedAt = new AtomicLong(Long.MAX_VALUE);

    @AfterEach
    void tearDown() {
        resender.close();
        client.shutdown();
    }

    @Test
    void aResentAppendCompactedBehindASnapshotIsNotCommittedAgain() throws Exception {
        try (TestCluster cluster = new TestCluster(3, () -> ChannelConfig.redis(channelName, TestRedis.url()),
                builder -> builder.accelerateHeartbeats(true).snapshotter(new HashedState(index -> {
                })).snapshotThreshold(10).snapshotTrailingEntries(0))) {
            cluster.nodes().forEach(node -> node.onCommitted((entry, index) -> {
                String data = entry.data().asString();
                committed.computeIfAbsent(node, ignored -> new CopyOnWriteArrayList<>()).add(data);
                if (data.equals("forwarded")) {
                    forwardedAt.set(index);
                }
            }));
            Gaggle leader = cluster.awaitLeader();
            Gaggle follower = cluster.aFollower();
            AppendForwardRequest forwarded = recordForward(follower, () -> follower.append("forwarded").join());
            IntStream.range(0, 30).mapToObj(i -> leader.append("filler " + i)).toList()
                    .forEach(append -> append.join());
            await().atMost(WAIT).until(() -> leader.getStatus().firstLogIndex() > forwardedAt.get());

            publishToLeader(leader, 0, forwarded);
            publishToLeader(leader, 1, new AppendForwardRequest(List.of(entry("marker")), forwarded.absentThrough()));

            for (Gaggle node : cluster.nodes()) {
                await().atMost(WAIT).until(() -> committed.get(node).contains("marker"));
                assertThat(committed.get(node)).as("committed on %s", node.getId()).containsOnlyOnce("forwarded");
            }
        }
    }

    private static LogEntry entry(String data) {
        return new LogEntry(UUID.randomUUID().toString(), 0, JsonNodeFactory.instance.stringNode(data), MAPPER);
    }

    /** Sends {@code request} to the leader as envelope {@code seq} of a sender of its own, after the ones before. */
    private void publishToLeader(Gaggle leader, long seq, AppendForwardRequest request) {
        byte[] envelope = CODEC.encode(new Envelope("resender", 1, leader.getId(), seq, request));
        resender.sync().publish(RedisChannel.directChannel(channelName, leader.getId())
                .getBytes(StandardCharsets.UTF_8), envelope);
    }

    /** Listens on the cluster's channels, runs {@code action}, and returns the first forward {@code node} sent. */
    private AppendForwardRequest recordForward(Gaggle node, Runnable action) throws Exception {
        byte[] forward = RedisChannelTap.firstEnvelope(client, channelName, action, message -> {
            Envelope envelope = decode(message);
            return envelope.from().equals(node.getId()) && envelope.message() instanceof AppendForwardRequest;
        }, "a forward from " + node.getId());
        return (AppendForwardRequest) decode(forward).message();
    }

    private static Envelope decode(byte[] message) {
        try {
            return CODEC.decode(message);
        } catch (MalformedEnvelopeException e) {
            throw new AssertionError(e);
        }
    }
}
