package io.gaggle.node;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.test.RedisClusterServers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

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
        servers.close();
    }

    /** Each test closes its nodes before it ends, so their clients can go. */
    @AfterEach
    void shutDownClients() {
        clients.forEach(RedisClusterClient::shutdown);
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
