package io.gaggle;

import javax.net.ssl.X509TrustManager;

import io.gaggle.channel.Channel;
import io.gaggle.channel.memory.MemoryChannel;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.channel.socketio.SocketIoChannel;
import io.lettuce.core.AbstractRedisClient;

/**
 * Which channel a node talks over, as the original's {@code channel} option. Each node of a
 * cluster must use an equal configuration (same hub, Redis channel name or Socket.IO channel).
 */
@FunctionalInterface
public interface ChannelConfig {

    /** Creates a new, unopened channel for one node. */
    Channel createChannel();

    /** The in-memory channel on hub {@code "default"}: nodes in one JVM only, for tests. */
    static ChannelConfig memory() {
        return memory("default");
    }

    /** The in-memory channel on the named hub: nodes of one JVM on the same hub form a cluster. */
    static ChannelConfig memory(String name) {
        requireText(name, "memory channel name");
        return () -> new MemoryChannel(name);
    }

    /**
     * The original's {@code redis} channel, on the Redis at
     * {@value io.gaggle.channel.redis.RedisChannel#DEFAULT_CONNECTION_STRING}.
     *
     * @param channelName the cluster's name: nodes with the same name form a cluster
     * @see #redis(String, String)
     */
    static Redis redis(String channelName) {
        return redis(channelName, RedisChannel.DEFAULT_CONNECTION_STRING);
    }

    /**
     * The original's {@code redis} channel: nodes meet through Redis pub/sub. Needs Lettuce
     * ({@code io.lettuce:lettuce-core}, an optional dependency of gaggle-core that the starter brings).
     *
     * @param channelName the cluster's name: nodes with the same name form a cluster
     * @param connectionString a Redis URI: {@code redis://}, {@code rediss://} for TLS, with optional
     *        {@code user:password@} and {@code /database}, e.g. {@code redis://user:pw@127.0.0.1:6379/0};
     *        {@link #createChannel()} rejects one Lettuce cannot parse
     * @return the configuration, to which {@link Redis#withTrustManager} adds the trust for the
     *         certificate of a {@code rediss://} Redis
     * @see RedisChannel
     */
    static Redis redis(String channelName, String connectionString) {
        requireText(channelName, "redis channel name");
        requireText(connectionString, "redis connection string");
        return new Redis(channelName, connectionString, null);
    }

    /**
     * The original's {@code socket.io} channel: nodes meet through a Socket.IO relay such as
     * {@link io.gaggle.channel.socketio.GaggleSocketIoServer}. Needs the Socket.IO Java client
     * ({@code io.socket:socket.io-client}, an optional dependency of gaggle-core).
     *
     * @param host where the relay runs, e.g. {@code http://localhost:9000}, or {@code https://..}
     *        for a relay that serves TLS
     * @param channel the cluster's name on that relay: nodes with the same channel form a cluster
     * @return the configuration, to which {@link SocketIo#withToken} and
     *         {@link SocketIo#withTrustManager} add a relay's token and certificate trust
     * @see SocketIoChannel
     */
    static SocketIo socketIo(String host, String channel) {
        requireText(host, "socket.io host");
        requireText(channel, "socket.io channel");
        return new SocketIo(host, channel, null, null);
    }

    /**
     * Fails with a message naming the missing artifact, since the transports are optional
     * dependencies and a bare {@link NoClassDefFoundError} would not say which one to add.
     */
    private static void requireOnClasspath(String className, String channel, String artifact) {
        try {
            Class.forName(className, false, ChannelConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The " + channel + " channel needs " + artifact
                    + " on the classpath; add it to your dependencies", e);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    /**
     * The redis channel's configuration: a Redis URI, a channel name, and optionally the trust for
     * the certificate of a {@code rediss://} Redis. Immutable; {@link #withTrustManager} returns a copy.
     */
    final class Redis implements ChannelConfig {

        private final String channelName;
        private final String connectionString;
        private final X509TrustManager trustManager;

        private Redis(String channelName, String connectionString, X509TrustManager trustManager) {
            this.channelName = channelName;
            this.connectionString = connectionString;
            this.trustManager = trustManager;
        }

        /**
         * Checks the certificate of a {@code rediss://} Redis with this trust manager instead of the
         * JVM's default trust, e.g. for a Redis whose certificate a private CA signed. Without TLS
         * there is no certificate, and it has no effect.
         *
         * @param trustManager the trust, e.g. from a {@link javax.net.ssl.TrustManagerFactory}
         *        initialised with a trust store holding that CA
         * @return a copy with the trust manager
         */
        public Redis withTrustManager(X509TrustManager trustManager) {
            if (trustManager == null) {
                throw new IllegalArgumentException("redis trust manager must not be null");
            }
            return new Redis(channelName, connectionString, trustManager);
        }

        @Override
        public Channel createChannel() {
            requireOnClasspath("io.lettuce.core.RedisClient", "redis", "io.lettuce:lettuce-core");
            return new RedisChannel(channelName, connectionString, trustManager);
        }
    }

    /**
     * The redis channel on a Lettuce client the application already has, e.g. Spring Boot's. The
     * channel opens its two connections on this client, with its options (TLS, timeouts) and
     * {@link io.lettuce.core.resource.ClientResources}, and closes only those connections on
     * close, never the client. With a {@link io.lettuce.core.RedisClient} it connects to the
     * client's default {@link io.lettuce.core.RedisURI}: one server, or the master a Sentinel
     * names ({@code redis-sentinel://}), followed across failovers. A {@code RedisClient} created
     * without a URI cannot connect: the channel logs why and stays connecting. With a
     * {@link io.lettuce.core.cluster.RedisClusterClient} it uses sharded pub/sub on a Redis
     * Cluster (Redis 7.0 or later), with all of one Gaggle cluster's channels on one shard; see
     * {@link RedisChannel} for what that costs.
     * <p>
     * A class of its own, rather than a factory method beside {@link #redis(String, String)}, so
     * that {@code ChannelConfig} and {@link Redis} name no Lettuce type: an application without
     * Lettuce can still have their methods listed by reflection, as Spring does with every bean.
     */
    final class RedisOnClient implements ChannelConfig {

        private final String channelName;
        private final AbstractRedisClient client;

        private RedisOnClient(String channelName, AbstractRedisClient client) {
            this.channelName = channelName;
            this.client = client;
        }

        /**
         * @param channelName the cluster's name: nodes with the same name form a cluster
         * @param client the application's client; {@link #createChannel()} rejects one of another
         *        kind than {@code RedisClient} and {@code RedisClusterClient}
         * @return the configuration
         * @see RedisChannel
         */
        public static RedisOnClient of(String channelName, AbstractRedisClient client) {
            requireText(channelName, "redis channel name");
            if (client == null) {
                throw new IllegalArgumentException("redis client must not be null");
            }
            return new RedisOnClient(channelName, client);
        }

        @Override
        public Channel createChannel() {
            return new RedisChannel(channelName, client);
        }
    }

    /**
     * The socket.io channel's configuration: a relay, a channel on it, and optionally the relay's
     * token and the trust for its certificate. Immutable; each {@code with..} returns a copy.
     */
    final class SocketIo implements ChannelConfig {

        private final String host;
        private final String channel;
        private final String token;
        private final X509TrustManager trustManager;

        private SocketIo(String host, String channel, String token, X509TrustManager trustManager) {
            this.host = host;
            this.channel = channel;
            this.token = token;
            this.trustManager = trustManager;
        }

        /**
         * Sends this token in the Socket.IO handshake's {@code auth} payload, for a relay that
         * admits only clients with it ({@link io.gaggle.channel.socketio.GaggleSocketIoServer#token}).
         *
         * @param token the relay's token, e.g.
         *        {@link io.gaggle.channel.socketio.RelayToken#fromSecret(String)} of the cluster secret
         * @return a copy with the token
         */
        public SocketIo withToken(String token) {
            requireText(token, "socket.io relay token");
            return new SocketIo(host, channel, token, trustManager);
        }

        /**
         * Checks the certificate of an {@code https} relay with this trust manager instead of the
         * JVM's default trust, e.g. for a relay whose certificate a private CA signed.
         *
         * @param trustManager the trust, e.g. from a {@link javax.net.ssl.TrustManagerFactory}
         *        initialised with a trust store holding that CA
         * @return a copy with the trust manager
         */
        public SocketIo withTrustManager(X509TrustManager trustManager) {
            if (trustManager == null) {
                throw new IllegalArgumentException("socket.io trust manager must not be null");
            }
            return new SocketIo(host, channel, token, trustManager);
        }

        @Override
        public Channel createChannel() {
            requireOnClasspath("io.socket.client.IO", "socket.io", "io.socket:socket.io-client");
            return new SocketIoChannel(host, channel, token, trustManager);
        }
    }
}
