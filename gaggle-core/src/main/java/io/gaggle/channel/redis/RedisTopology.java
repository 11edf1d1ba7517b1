package io.gaggle.channel.redis;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * What differs between plain pub/sub on one Redis (standalone or behind Sentinel) and sharded
 * pub/sub on a Redis Cluster; {@link RedisChannel} does the rest the same way for both. The
 * connects block, so the channel calls them on its own thread, never on Lettuce's event loops.
 */
interface RedisTopology {

    /**
     * Connects the receiving connection, and has {@code onDisconnected} called whenever a
     * connection that carries its subscriptions drops.
     */
    StatefulRedisPubSubConnection<byte[], byte[]> connectSubscriber(Runnable onDisconnected);

    /**
     * Where the application's client reaches, for {@link RedisChannel#describe()}, never with a
     * password; without blocking, so only what the client already knows.
     */
    String describe();

    /** Connects the publishing connection. */
    Publisher connectPublisher();

    /** The channel that carries the envelopes sent to {@code nodeId}. */
    String directChannel(String channelName, String nodeId);

    /** The channel {@code nodeId} publishes its broadcasts on. */
    String broadcastChannel(String channelName, String nodeId);

    /**
     * Subscribes to {@code channel}; Redis confirms it under the same name, through
     * {@code subscribed} or {@code ssubscribed}.
     */
    RedisFuture<Void> subscribe(StatefulRedisPubSubConnection<byte[], byte[]> subscriber, byte[] channel);

    /** Subscribes to every node's broadcasts. */
    RedisFuture<Void> subscribeBroadcasts(StatefulRedisPubSubConnection<byte[], byte[]> subscriber,
            String channelName);

    /**
     * Brings the client's view of where channels live up to date after subscriptions were lost,
     * before they are made again; completes at once where there is only one place.
     */
    CompletionStage<?> refreshRouting();

    /** A connection that publishes, with the command this topology publishes with. */
    interface Publisher {

        StatefulConnection<byte[], byte[]> connection();

        /** Queues one publish of {@code envelope} on {@code channel}. */
        RedisFuture<Long> publish(byte[] channel, byte[] envelope);

        /**
         * Tells {@code up} at once, and on every change after, whether publishes can reach the
         * server that takes them.
         */
        void watch(Consumer<Boolean> up);
    }
}
