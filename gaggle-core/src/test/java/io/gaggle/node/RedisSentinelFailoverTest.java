package io.gaggle.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.test.RedisSentinelServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gaggle clusters on a Redis behind Sentinel (a master, a replica, one Sentinel, all real) keep
 * committing across a failover that promotes the replica, and lose nothing they acknowledged.
 */
class RedisSentinelFailoverTest {

    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(30);

    private final String name = "sentinel-" + UUID.randomUUID();
    private final List<RedisClient> clients = new ArrayList<>();
    private RedisSentinelServers redis;

    @BeforeEach
    void startRedis() {
        redis = RedisSentinelServers.start();
    }

    @AfterEach
    void stopRedis() {
        clients.forEach(RedisClient::shutdown);
        redis.close();
    }

    @Test
    void nodesOnASentinelConnectionStringKeepEveryAcknowledgedEntryAcrossAFailover() {
        assertSurvivesFailover(() -> ChannelConfig.redis(name, redis.url()));
    }

    @Test
    void nodesOnTheApplicationsSentinelClientKeepEveryAcknowledgedEntryAcrossAFailover() {
        assertSurvivesFailover(() -> {
            RedisClient client = RedisClient.create(RedisURI.create(redis.url()));
            clients.add(client);
            return ChannelConfig.RedisOnClient.of(name, client);
        });
    }

    private void assertSurvivesFailover(Supplier<ChannelConfig> channel) {
        try (TestCluster cluster = new TestCluster(3, channel, builder -> builder.accelerateHeartbeats(true))) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acknowledged.add(appendUntilAcknowledged(cluster, "before failover " + i));
            }
            int oldMaster = redis.masterPort();

            redis.failover();

            int newMaster = redis.masterPort();
            assertThat(newMaster).isNotEqualTo(oldMaster);
            for (Gaggle node : cluster.nodes()) {
                await(node.getId() + " subscribes on the new master").atMost(APPEND_TIMEOUT)
                        .until(() -> subscribers(newMaster, RedisChannel.directChannel(name, node.getId())) == 1);
            }
            for (int i = 0; i < 10; i++) {
                acknowledged.add(appendUntilAcknowledged(cluster, "after failover " + i));
            }
            for (Gaggle node : cluster.nodes()) {
                await(node.getId() + " commits every acknowledged entry").atMost(APPEND_TIMEOUT)
                        .until(() -> TestCluster.committed(node).containsAll(acknowledged));
            }
        }
    }

    private static long subscribers(int port, String channel) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().pubsubNumsub(channel).get(channel);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Appends through a follower, which forwards to the leader, trying again while the cluster
     * reconnects or elects: an append that fails may still commit, so entries are compared as
     * sets, and only the acknowledged ones must be there.
     */
    private static String appendUntilAcknowledged(TestCluster cluster, String data) {
        return await("acknowledged: " + data).atMost(APPEND_TIMEOUT).ignoreExceptions().until(() -> {
            cluster.aFollower().append(data).get(5, TimeUnit.SECONDS);
            return data;
        }, appended -> true);
    }
}
