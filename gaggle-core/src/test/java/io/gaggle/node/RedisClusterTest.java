package io.gaggle.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.test.FreePort;
import io.gaggle.test.RedisServerProcess;
import io.gaggle.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clusters over real Redis, including a Redis restart and garbage published on their channels.
 */
class RedisClusterTest extends RealChannelClusterContract {

    @Override
    Supplier<ChannelConfig> channel() {
        return () -> ChannelConfig.redis("cluster-test-" + UUID.randomUUID(), TestRedis.url());
    }

    @Test
    void theClusterRecoversFromARedisRestartAndKeepsEveryAcknowledgedEntry() {
        RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        int port = redis.port();
        String name = "restart-" + UUID.randomUUID();
        try (TestCluster cluster = new TestCluster(3, () -> ChannelConfig.redis(name, redis.url()),
                builder -> builder.accelerateHeartbeats(true))) {
            Gaggle leader = cluster.awaitLeader();
            for (int i = 0; i < 10; i++) {
                leader.append("before restart " + i).join();
            }
            redis.close();
            try (RedisServerProcess restarted = RedisServerProcess.start(port)) {
                Gaggle follower = cluster.nodes().stream().filter(node -> node != leader).findFirst().orElseThrow();
                follower.append("after restart").get(30, java.util.concurrent.TimeUnit.SECONDS);
                for (Gaggle node : cluster.nodes()) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.committed(node).contains("after restart"));
                    assertThat(TestCluster.committed(node)).contains("before restart 0", "before restart 9").containsOnlyOnce(
                            "after restart");
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            redis.close();
        }
    }

    /**
     * A node whose subscriber stops reading is disconnected by Redis once its output buffer stays
     * over the pub/sub soft limit (here 512 KiB for a second); it must notice, reconnect,
     * resubscribe and catch up on what it missed. The hard limit stays above the leader's largest
     * burst to a follower catching up (16 batches of up to 1 MiB), which healthy nodes receive too.
     */
    @Test
    void aNodeRedisDisconnectsForFallingBehindReconnectsAndCatchesUp() throws Exception {
        String name = "slow-" + UUID.randomUUID();
        try (RedisServerProcess redis = RedisServerProcess.start(FreePort.pick(),
                        "--client-output-buffer-limit", "pubsub", "32mb", "512kb", "1");
                RedisClient client = RedisClient.create(redis.url());
                StatefulRedisConnection<String, String> admin = client.connect();
                TestCluster cluster = new TestCluster(3, () -> ChannelConfig.redis(name, redis.url()),
                        builder -> builder.accelerateHeartbeats(true))) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle slow = cluster.aFollower();
            String slowSubscription = RedisChannel.directChannel(name, slow.getId());
            leader.append("before").get(10, TimeUnit.SECONDS);

            cluster.stall(slow).get(10, TimeUnit.SECONDS);
            String payload = "x".repeat(4096);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                appendAll(leader, payload, 64);
                return subscribers(admin, slowSubscription) == 0;
            });
            cluster.resume(slow);
            leader.append("after").get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> subscribers(admin, slowSubscription) == 1
                    && slow.getCommitIndex() == leader.getCommitIndex());
            assertThat(TestCluster.committed(slow)).isEqualTo(TestCluster.committed(leader))
                    .startsWith("before").endsWith("after");
        }
    }

    private static void appendAll(Gaggle leader, String data, int count) {
        CompletableFuture<?>[] appends = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            appends[i] = leader.append(data);
        }
        try {
            CompletableFuture.allOf(appends).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("appends did not commit", e);
        }
    }

    private static long subscribers(StatefulRedisConnection<String, String> redis, String channel) {
        return redis.sync().pubsubNumsub(channel).get(channel);
    }

    @Test
    void garbageOnTheClusterChannelsIsDroppedAndCountedWithoutHarm() {
        String name = "garbage-" + UUID.randomUUID();
        try (TestCluster cluster = new TestCluster(3, () -> ChannelConfig.redis(name, TestRedis.url()),
                builder -> builder.accelerateHeartbeats(true));
                RedisClient client = RedisClient.create(TestRedis.url());
                StatefulRedisConnection<byte[], byte[]> redis = client.connect(ByteArrayCodec.INSTANCE)) {
            Gaggle leader = cluster.awaitLeader();
            long term = leader.getTerm();
            leader.append("before garbage").join();

            List<String> channels = new ArrayList<>();
            channels.add(RedisChannel.broadcastChannel(name, "mallory"));
            cluster.nodes().forEach(node -> channels.add(RedisChannel.directChannel(name, node.getId())));
            Random random = new Random(3);
            for (String channel : channels) {
                for (byte[] garbage : garbage(random)) {
                    redis.sync().publish(channel.getBytes(StandardCharsets.UTF_8), garbage);
                }
            }

            leader.append("after garbage").join();
            for (Gaggle node : cluster.nodes()) {
                await().until(() -> TestCluster.committed(node).contains("after garbage"));
                assertThat(TestCluster.committed(node)).containsExactly("before garbage", "after garbage");
                assertThat(node.getStatus().droppedMessages()).isPositive();
            }
            assertThat(leader.isLeader()).isTrue();
            assertThat(leader.getTerm()).isEqualTo(term);
        }
    }

    private static List<byte[]> garbage(Random random) {
        List<byte[]> garbage = new ArrayList<>();
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        garbage.add(noise);
        garbage.add(utf8("{\"v\":1,\"from\":\"mallory\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"Append"));
        garbage.add(utf8("{\"v\":1,\"from\":42,\"inc\":\"x\",\"to\":null,\"seq\":true,\"msg\":[]}"));
        garbage.add(utf8("{\"v\":1,\"from\":\"mallory\",\"inc\":1,\"to\":null,\"seq\":2,\"msg\":{\"type\":\"RequestVote\","
                + "\"term\":9223372036854775807,\"lastLogIndex\":9223372036854775807,\"lastLogTerm\":9223372036854775807,"
                + "\"preVote\":false,\"transfer\":false}}"));
        garbage.add(utf8("{\"v\":1,\"from\":\"mallory\",\"inc\":1,\"to\":null,\"seq\":3,\"msg\":{\"type\":\"AppendEntries\","
                + "\"term\":\"big\",\"prevLogIndex\":0,\"prevLogTerm\":0,\"leaderCommit\":5,\"round\":1,\"entries\":{}}}"));
        return garbage;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
