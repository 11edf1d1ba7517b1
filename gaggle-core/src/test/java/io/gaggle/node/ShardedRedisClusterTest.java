package io.gaggle.node;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.test.RedisClusterServers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gaggle clusters over a real Redis Cluster of three shards, each node on a
 * {@link RedisClusterClient} of its own, as each would be in its own application: sharded pub/sub.
 */
class ShardedRedisClusterTest extends RealChannelClusterContract {

    private static RedisClusterServers servers;

    private final List<RedisClusterClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedisCluster() {
        servers = RedisClusterServers.start(3);
    }

    @AfterAll
    static void stopRedisCluster() {
        if (servers != null) { // null when skipped for an old redis-server
            servers.close();
        }
    }

    /** Each test closes its nodes before it ends, so their clients can go. */
    @AfterEach
    void shutDownClients() {
        clients.forEach(RedisClusterClient::shutdown);
    }

    /**
     * Each node's client keeps its own cluster connections on a shard that does not own the
     * Gaggle cluster's slot; that shard going down must not stop the nodes committing.
     */
    @Test
    void nodesKeepCommittingAndStayConnectedWhileAnotherShardIsDown() {
        String name = "sharded-" + UUID.randomUUID();
        int other = (servers.indexOfServerFor(RedisChannel.shardedBroadcastChannel(name)) + 1) % servers.urls().size();
        Supplier<ChannelConfig> onOtherShard = () -> {
            RedisClusterClient client = servers.clientWithDefaultConnectionsTo(other);
            clients.add(client);
            return ChannelConfig.RedisOnClient.of(name, client);
        };
        try (TestCluster cluster = new TestCluster(3, onOtherShard, builder -> builder.accelerateHeartbeats(true))) {
            cluster.awaitLeader().append("before").join();
            await().until(() -> cluster.nodes().stream().allMatch(node -> TestCluster.committed(node).contains("before")));

            servers.stopServer(other);
            try {
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(10))
                        .until(() -> cluster.nodes().stream()
                                .allMatch(node -> node.getStatus().channelState() == ChannelState.CONNECTED));
                cluster.awaitLeader().append("while another shard is down").orTimeout(10, TimeUnit.SECONDS).join();
                await().until(() -> cluster.nodes().stream()
                        .allMatch(node -> TestCluster.committed(node).contains("while another shard is down")));
            } finally {
                servers.startServer(other);
            }
        }
    }

    @Override
    Supplier<ChannelConfig> channel() {
        String name = "sharded-" + UUID.randomUUID();
        return () -> {
            RedisClusterClient client = RedisClusterClient.create(servers.urls().stream().map(RedisURI::create).toList());
            clients.add(client);
            return ChannelConfig.RedisOnClient.of(name, client);
        };
    }
}
