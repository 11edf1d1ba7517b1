package io.gaggle.channel.redis;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Plain pub/sub on the Redis a {@link RedisClient}'s default URI names: one server, or the master
 * that Sentinel names, which Lettuce asks Sentinel for again on every reconnect. Each node has a
 * broadcast channel of its own and receives all of them through one pattern, so that it can skip
 * its own by the channel's name.
 */
final class StandaloneTopology implements RedisTopology {

    private final RedisClient client;

    StandaloneTopology(RedisClient client) {
        this.client = client;
    }

    @Override
    public StatefulRedisPubSubConnection<byte[], byte[]> connectSubscriber(Runnable onDisconnected) {
        StatefulRedisPubSubConnection<byte[], byte[]> connection = connect(() -> client.connectPubSub(ByteArrayCodec.INSTANCE));
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                onDisconnected.run();
            }
        });
        return connection;
    }

    /** The client keeps its default URI to itself, and asking the server would cost a round trip. */
    @Override
    public String describe() {
        return RedisClient.class.getSimpleName(); // also for a subclass, which may be anonymous
    }

    @Override
    public Publisher connectPublisher() {
        return new PlainPublisher(connect(() -> client.connect(ByteArrayCodec.INSTANCE)));
    }

    /** Names the cause when the application's client cannot connect without a URI. */
    private static <C> C connect(Supplier<C> connect) {
        try {
            return connect.get();
        } catch (IllegalStateException noDefaultUri) {
            throw new IllegalStateException("The RedisClient given to the redis channel has no default RedisURI; "
                    + "create it with RedisClient.create(RedisURI) or RedisClient.create(ClientResources, RedisURI)",
                    noDefaultUri);
        }
    }

    @Override
    public String directChannel(String channelName, String nodeId) {
        return RedisChannel.directChannel(channelName, nodeId);
    }

    @Override
    public String broadcastChannel(String channelName, String nodeId) {
        return RedisChannel.broadcastChannel(channelName, nodeId);
    }

    @Override
    public RedisFuture<Void> subscribe(StatefulRedisPubSubConnection<byte[], byte[]> subscriber, byte[] channel) {
        return subscriber.async().subscribe(channel);
    }

    @Override
    public RedisFuture<Void> subscribeBroadcasts(StatefulRedisPubSubConnection<byte[], byte[]> subscriber,
            String channelName) {
        return subscriber.async().psubscribe(RedisChannel.utf8(RedisChannel.broadcastPattern(channelName)));
    }

    @Override
    public CompletionStage<?> refreshRouting() {
        return CompletableFuture.completedFuture(null);
    }

    /** Publishes with PUBLISH, which reaches the subscribers of the whole server. */
    private record PlainPublisher(StatefulRedisConnection<byte[], byte[]> connection) implements Publisher {

        @Override
        public RedisFuture<Long> publish(byte[] channel, byte[] envelope) {
            return connection.async().publish(channel, envelope);
        }

        @Override
        public void watch(Consumer<Boolean> up) {
            connection.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisConnected(RedisChannelHandler<?, ?> connected, SocketAddress address) {
                    up.accept(true);
                }

                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                    up.accept(false);
                }
            });
            up.accept(connection.isOpen());
        }
    }
}
