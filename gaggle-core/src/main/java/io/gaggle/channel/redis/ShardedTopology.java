package io.gaggle.channel.redis;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Sharded pub/sub on a Redis Cluster (Redis 7.0 or later): SSUBSCRIBE and SPUBLISH, which Lettuce
 * routes by the channel's hash slot to the shard that owns it. Sharded pub/sub has no patterns,
 * so all nodes publish their broadcasts on one shared channel, and each receives its own back.
 * The channel names share a hash tag, so one Gaggle cluster's channels live on one shard.
 */
final class ShardedTopology implements RedisTopology {

    private final RedisClusterClient client;
    /** Whether the client has loaded the slot map, which it does on its first connect. */
    private volatile boolean connected;

    ShardedTopology(RedisClusterClient client) {
        this.client = client;
    }

    /**
     * Connects the top-level cluster connection; the subscriptions themselves live on the
     * connection Lettuce opens to the shard's node, which is watched once Redis confirms one there.
     * Only the node that confirmed last is watched: after the slot moves, the old owner's
     * connection carries no subscriptions, and its drops are no reason to subscribe again.
     */
    @Override
    public StatefulRedisPubSubConnection<byte[], byte[]> connectSubscriber(Runnable onDisconnected) {
        StatefulRedisClusterPubSubConnection<byte[], byte[]> connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
        connected = true;
        AtomicReference<StatefulConnection<?, ?>> watched = new AtomicReference<>();
        RedisConnectionStateListener disconnects = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                if (disconnected.isClosed()) {
                    watched.compareAndSet((StatefulConnection<?, ?>) disconnected, null);
                }
                onDisconnected.run();
            }
        };
        connection.addListener(new RedisClusterPubSubAdapter<byte[], byte[]>() {
            @Override
            public void ssubscribed(RedisClusterNode node, byte[] channel, long count) {
                RedisClusterNode owner = node != null ? node
                        : connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
                if (owner == null) {
                    return; // unknown until the next refresh; the next confirmation names it
                }
                RedisURI uri = owner.getUri();
                // The connection Lettuce routes a slot's commands over, keyed by host and port.
                connection.getConnectionAsync(uri.getHost(), uri.getPort()).thenAccept(nodeConnection -> {
                    StatefulConnection<?, ?> previous = watched.getAndSet(nodeConnection);
                    if (previous != nodeConnection) {
                        if (previous != null) {
                            previous.removeListener(disconnects);
                        }
                        nodeConnection.addListener(disconnects);
                    }
                });
            }
        });
        return connection;
    }

    @Override
    public Publisher connectPublisher() {
        ShardPublisher publisher = new ShardPublisher(client.connect(ByteArrayCodec.INSTANCE));
        connected = true;
        return publisher;
    }

    /** The cluster's nodes once known; asking for them before the first connect would load them. */
    @Override
    public String describe() {
        if (!connected) {
            return RedisClusterClient.class.getSimpleName(); // also for a subclass, which may be anonymous
        }
        // Iterating Partitions itself reads a snapshot; its getPartitions() list changes under a refresh.
        return StreamSupport.stream(client.getPartitions().spliterator(), false)
                .map(node -> node.getUri().getHost() + ":" + node.getUri().getPort())
                .collect(Collectors.joining(","));
    }

    @Override
    public String directChannel(String channelName, String nodeId) {
        return RedisChannel.shardedDirectChannel(channelName, nodeId);
    }

    @Override
    public String broadcastChannel(String channelName, String nodeId) {
        return RedisChannel.shardedBroadcastChannel(channelName);
    }

    @Override
    public RedisFuture<Void> subscribe(StatefulRedisPubSubConnection<byte[], byte[]> subscriber, byte[] channel) {
        return subscriber.async().ssubscribe(channel);
    }

    @Override
    public RedisFuture<Void> subscribeBroadcasts(StatefulRedisPubSubConnection<byte[], byte[]> subscriber,
            String channelName) {
        return subscribe(subscriber, RedisChannel.utf8(RedisChannel.shardedBroadcastChannel(channelName)));
    }

    /**
     * Reloads the cluster's slot map: when a slot moves, Redis ends its shard subscriptions, and
     * publishes to the old owner come back MOVED. Lettuce would follow each redirect, but with
     * auto-flush off a redirected publish waits for the next flush, and the map stays stale unless
     * the application enabled adaptive topology refresh.
     */
    @Override
    public CompletionStage<?> refreshRouting() {
        return client.refreshPartitionsAsync();
    }

    /** Publishes with SPUBLISH, which Lettuce sends to the shard that owns the channel's slot. */
    private record ShardPublisher(StatefulRedisClusterConnection<byte[], byte[]> connection) implements Publisher {

        @Override
        public RedisFuture<Long> publish(byte[] channel, byte[] envelope) {
            return connection.async().spublish(channel, envelope);
        }

        /**
         * Up once connected: this connection's own node is any node, not the slot's owner that
         * SPUBLISH goes to, and that owner's drops already show through the subscriptions.
         */
        @Override
        public void watch(Consumer<Boolean> up) {
            up.accept(true);
        }
    }
}
