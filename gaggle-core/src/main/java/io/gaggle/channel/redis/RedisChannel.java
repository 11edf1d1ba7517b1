package io.gaggle.channel.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.X509TrustManager;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.GuardedReceiver;
import io.gaggle.channel.redis.RedisTopology.Publisher;
import io.gaggle.codec.EnvelopeCodec;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original's {@code redis} channel: envelopes travel over Redis pub/sub, through Lettuce.
 * <p>
 * <b>Channel names</b>, derived from the cluster's {@code channelName}: a node receives the sends
 * addressed to it on {@link #directChannel(String, String) gaggle:&lt;channelName&gt;:node:&lt;nodeId&gt;},
 * and publishes its broadcasts on {@link #broadcastChannel(String, String)
 * gaggle:&lt;channelName&gt;:all:&lt;nodeId&gt;}, which every node receives through the pattern
 * {@link #broadcastPattern(String) gaggle:&lt;channelName&gt;:all:*}. Naming the sender in the
 * broadcast channel lets a node skip its own broadcasts, which Redis echoes back, without looking
 * into the envelope. The original published everything on one shared channel, so every node
 * received (and decoded) every other node's replication traffic; a direct send here costs one
 * node only. Payloads are the envelope bytes unchanged, so {@code redis-cli psubscribe
 * 'gaggle:<channelName>:*'} shows a cluster's JSON envelopes.
 * <p>
 * <b>Whose client.</b> Given a connection string, the channel creates a Lettuce client and
 * threads of its own and shuts them down on {@link #close()}. Given the application's client
 * ({@link #RedisChannel(String, AbstractRedisClient)}, e.g. Spring Boot's), it opens its two
 * connections on that client, with the client's options, TLS and {@link ClientResources}, and
 * closes only those. Either way a {@code redis-sentinel://} URI reaches the master Sentinel names,
 * and Lettuce asks Sentinel again on every reconnect, so a failover is followed: Sentinel drops
 * the old master's clients when it demotes it, and they reconnect to the new one.
 * <p>
 * <b>Redis Cluster.</b> On a {@link RedisClusterClient} the channel uses sharded pub/sub
 * (SSUBSCRIBE and SPUBLISH, Redis 7.0 or later), which has no patterns: a node receives on
 * {@link #shardedDirectChannel gaggle:{&lt;channelName&gt;}:node:&lt;nodeId&gt;}, and all nodes
 * broadcast on the one {@link #shardedBroadcastChannel gaggle:{&lt;channelName&gt;}:all}. The
 * hash tag puts all of one Gaggle cluster's channels in one slot, so Lettuce subscribes and
 * publishes on the shard that owns it; when Redis ends the subscriptions, as it does when the slot
 * moves, or a shard's connection drops, the channel has Lettuce reload the slot map and subscribes
 * again on the slot's owner now. The cost: all of one
 * Gaggle cluster's traffic goes through that one shard, so more shards carry more Gaggle clusters
 * but do not spread one; and Redis echoes each node's broadcasts back to it, which the channel
 * skips by the envelope's leading sender field ({@link EnvelopeCodec#senderPrefix}) before
 * decoding anything, but Redis still sends them.
 * <p>
 * <b>Connections.</b> One pub/sub connection receives; one ordinary connection publishes, with
 * auto-flush off: {@link #send} and {@link #broadcast} queue PUBLISH commands without touching the
 * socket, and {@link #flush()} writes the whole turn's batch in one go. This channel therefore
 * relies on the node calling {@code flush()} once per turn, as {@link Channel#flush()} says.
 * <p>
 * <b>Reconnection.</b> Lettuce's auto-reconnect only takes over once a connection was made, so
 * while Redis cannot be reached at {@link #open}, this channel retries connecting and subscribing
 * itself, with a capped backoff ({@value #MIN_RETRY_MILLIS} ms doubling up to
 * {@value #MAX_RETRY_MILLIS} ms; on its own client, Lettuce reconnects with the same). Connecting
 * blocks, so it runs on one thread of the channel's own, never on Lettuce's event loops. After a
 * reconnect Lettuce re-subscribes, and the channel subscribes again too, which on a Redis Cluster
 * reaches the shard that owns the slot now; the state is {@link ChannelState#CONNECTED} only while
 * the publisher is connected and Redis has confirmed both subscriptions. On a Redis Cluster the
 * publisher counts as connected once made: its own connection goes to any node, while SPUBLISH goes
 * to the slot's owner, whose connection the subscriptions already watch.
 * <p>
 * <b>Slow subscribers.</b> Redis disconnects a subscriber that reads too slowly once its output
 * buffer passes {@code client-output-buffer-limit pubsub}; the channel then reconnects and
 * re-subscribes as after any disconnect, and Raft resends what the node missed. Catching up needs
 * the hard limit, and the soft limit over its period, to hold the leader's largest burst to one
 * follower: up to 16 AppendEntries of up to 1 MiB each (or one larger entry). Redis's default
 * ({@code 32mb 8mb 60}) does; a lower limit can keep a lagging node from ever catching up.
 * <p>
 * <b>Bounded memory.</b> The channel publishes nothing while its publisher is disconnected (and
 * on its own client Lettuce rejects commands then instead of buffering them; on a Redis Cluster
 * the application's client decides whether commands to a shard that is down wait), and at most
 * {@value #MAX_PENDING_PUBLISHES} publish commands may wait for a flush or a reply. A
 * send beyond that, or while disconnected, is dropped and counted ({@link #droppedSends()}): Raft
 * resends what matters. The bound is kept here rather than with Lettuce's {@code requestQueueSize},
 * which rejects on its event loop with a WARN and a stack trace per command.
 */
public final class RedisChannel implements Channel {

    /** Used when no connection string is given: a local Redis on its standard port. */
    public static final String DEFAULT_CONNECTION_STRING = "redis://127.0.0.1:6379";

    static final int MAX_PENDING_PUBLISHES = 10_000;
    private static final int MAX_CACHED_CHANNELS = 1_024;
    static final long MIN_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(RedisChannel.class);
    private static final Delay RETRY_DELAY = Delay.exponential(Duration.ofMillis(MIN_RETRY_MILLIS),
            Duration.ofMillis(MAX_RETRY_MILLIS), 2, TimeUnit.MILLISECONDS);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final String channelName;
    /** The Redis to create a client for, or null when the application gave its own client. */
    private final RedisURI uri;
    private final X509TrustManager trustManager;
    /** Where the connection string points, or null on the application's client. */
    private final String where;
    private final Set<String> confirmedSubscriptions = ConcurrentHashMap.newKeySet();
    /** Each peer's direct channel name, encoded once rather than on every send. */
    private final Map<String, byte[]> directChannels = new ConcurrentHashMap<>();
    private final LongAdder droppedSends = new LongAdder();
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private final CompletableFuture<Void> closeCompletion = new CompletableFuture<>();
    private final Object stateLog = new Object();

    private String nodeId;
    private byte[] ownBroadcastChannel;
    private byte[] ownDirectChannel;
    private byte[] ownEnvelopes;
    private GuardedReceiver receiver;
    private AbstractRedisClient client;
    private RedisTopology topology;
    /** Connects, and waits between retries, off Lettuce's event loops: connecting blocks. */
    private ScheduledThreadPoolExecutor connector;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
    private volatile Publisher publisher;
    private volatile boolean publisherUp;
    private volatile boolean opened;
    private volatile boolean closing;
    private ChannelState loggedState = ChannelState.NEW;

    /**
     * @param channelName the cluster's name; every node of the cluster uses the same
     * @param connectionString a Redis URI ({@code redis://}, {@code rediss://} for TLS, with
     *        optional {@code user:password@} and {@code /database}, or {@code redis-sentinel://}
     *        for the master a Sentinel names), as Lettuce's {@link RedisURI}
     * @throws IllegalArgumentException if the connection string is not a Redis URI
     */
    public RedisChannel(String channelName, String connectionString) {
        this(channelName, connectionString, null);
    }

    /**
     * @param channelName the cluster's name; every node of the cluster uses the same
     * @param connectionString a Redis URI, as for {@link #RedisChannel(String, String)}
     * @param trustManager checks the certificate of a {@code rediss://} Redis instead of the JVM's
     *        default trust, e.g. one a private CA signed; {@code null} for the default trust
     * @throws IllegalArgumentException if the connection string is not a Redis URI
     */
    public RedisChannel(String channelName, String connectionString, X509TrustManager trustManager) {
        this.channelName = channelName;
        this.uri = RedisURI.create(connectionString);
        this.trustManager = trustManager;
        this.where = describe(uri);
    }

    /**
     * A channel on a Lettuce client the application owns: it opens its two connections with the
     * client's options and {@link ClientResources}, and closes only those, never the client.
     *
     * @param channelName the cluster's name; every node of the cluster uses the same
     * @param client a {@link RedisClient} created with a default {@link RedisURI} (standalone, or
     *        {@code redis-sentinel://} for the master a Sentinel names), which this channel
     *        connects to; or a {@link RedisClusterClient}, for sharded pub/sub on a Redis Cluster
     * @throws IllegalArgumentException if the client is neither, or on a Redis Cluster, the
     *         channel name begins with <code>}</code>, which would leave its hash tag empty
     */
    public RedisChannel(String channelName, AbstractRedisClient client) {
        this.channelName = channelName;
        this.uri = null;
        this.trustManager = null;
        this.client = client;
        this.topology = topologyOf(channelName, client);
        this.where = null;
    }

    private static RedisTopology topologyOf(String channelName, AbstractRedisClient client) {
        if (client instanceof RedisClient standalone) {
            return new StandaloneTopology(standalone);
        }
        if (client instanceof RedisClusterClient cluster) {
            if (channelName.startsWith("}")) {
                throw new IllegalArgumentException("On a Redis Cluster the redis channel name must not begin with '}': "
                        + "the name is the hash tag that keeps a cluster's channels in one slot, and '" + channelName
                        + "' would leave it empty");
            }
            return new ShardedTopology(cluster);
        }
        throw new IllegalArgumentException("The redis channel works on a RedisClient or a RedisClusterClient, not on a "
                + (client == null ? "null client" : client.getClass().getName()));
    }

    /** The Redis channel that carries one node's broadcasts to the rest of its cluster. */
    public static String broadcastChannel(String channelName, String nodeId) {
        return "gaggle:" + channelName + ":all:" + nodeId;
    }

    /** The Redis pattern that matches the broadcast channels of every node of a cluster. */
    public static String broadcastPattern(String channelName) {
        return "gaggle:" + channelName.replaceAll("[*?\\[\\]\\\\]", "\\\\$0") + ":all:*";
    }

    /** The Redis channel that carries the envelopes sent to one node. */
    public static String directChannel(String channelName, String nodeId) {
        return "gaggle:" + channelName + ":node:" + nodeId;
    }

    /**
     * On a Redis Cluster, the shard channel that carries the envelopes sent to one node. Its hash
     * tag, the braces around the channel name, puts it in the same slot as all of its cluster's
     * channels (for a name that does not begin with <code>}</code>).
     */
    public static String shardedDirectChannel(String channelName, String nodeId) {
        return "gaggle:{" + channelName + "}:node:" + nodeId;
    }

    /**
     * On a Redis Cluster, the one shard channel that carries every node's broadcasts, in the same
     * slot as {@link #shardedDirectChannel}.
     */
    public static String shardedBroadcastChannel(String channelName) {
        return "gaggle:{" + channelName + "}:all";
    }

    @Override
    public synchronized void open(String nodeId, Consumer<byte[]> receiver) {
        if (opened || closing) {
            throw new IllegalStateException(describe() + " already opened");
        }
        this.nodeId = nodeId;
        this.receiver = new GuardedReceiver(receiver, describe());
        if (uri != null) {
            RedisClient own = ownClient();
            this.client = own;
            this.topology = new StandaloneTopology(own);
        }
        this.ownBroadcastChannel = utf8(topology.broadcastChannel(channelName, nodeId));
        this.ownDirectChannel = utf8(topology.directChannel(channelName, nodeId));
        this.ownEnvelopes = EnvelopeCodec.senderPrefix(nodeId);
        this.connector = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gaggle-redis-connect-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        connector.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        opened = true;
        refreshState();
        retry("connect the subscriber", 1, () -> connecting(() -> topology.connectSubscriber(this::subscriberLost)),
                this::subscriberConnected);
        retry("connect the publisher", 1, () -> connecting(topology::connectPublisher), this::publisherConnected);
    }

    /** A client of this channel's own for its URI, with two threads: two connections need no more. */
    private RedisClient ownClient() {
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(RETRY_DELAY)
                .build();
        RedisClient own = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
        if (trustManager != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider()
                    .sslContext(context -> context.trustManager(trustManager)).build());
        }
        own.setOptions(options.build());
        return own;
    }

    private <T> CompletionStage<T> connecting(Supplier<T> connect) {
        return CompletableFuture.supplyAsync(connect, connector);
    }

    private void subscriberConnected(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
        synchronized (this) { // with close(), so that a connection made meanwhile is released or closed here
            if (closing) {
                connection.closeAsync();
                return;
            }
            subscriber = connection;
        }
        connection.addListener(new RedisPubSubAdapter<byte[], byte[]>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                if (!Arrays.equals(channel, ownBroadcastChannel)) {
                    deliver(channel, message);
                }
            }

            @Override
            public void smessage(byte[] channel, byte[] message) {
                // Everyone's broadcasts share one shard channel, so this node's come back to it.
                if (!Arrays.equals(channel, ownBroadcastChannel) || !startsWith(message, ownEnvelopes)) {
                    deliver(channel, message);
                }
            }

            @Override
            public void subscribed(byte[] channel, long count) {
                confirmed(channel);
            }

            @Override
            public void psubscribed(byte[] pattern, long count) {
                confirmed(pattern);
            }

            @Override
            public void ssubscribed(byte[] channel, long count) {
                confirmed(channel);
            }

            @Override
            public void sunsubscribed(byte[] channel, long count) {
                // Redis Cluster ends shard subscriptions when their slot moves to another shard.
                subscriberLost();
            }
        });
        subscribe(connection);
    }

    /**
     * Lettuce re-subscribes after a reconnect only to what Redis confirmed, and only on the same
     * server, so the subscriptions are retried until confirmed, and again whenever they are lost:
     * on a Redis Cluster, that routes them to the shard that owns their slot now.
     */
    private void subscribe(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
        retry("subscribe", 1, () -> topology.subscribe(connection, ownDirectChannel), ignored -> { });
        retry("subscribe to broadcasts", 1, () -> topology.subscribeBroadcasts(connection, channelName),
                ignored -> { });
    }

    private void subscriberLost() {
        confirmedSubscriptions.clear();
        refreshState();
        StatefulRedisPubSubConnection<byte[], byte[]> connection = subscriber;
        if (connection != null && !closing) {
            topology.refreshRouting().whenComplete((refreshed, failure) -> subscribe(connection));
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private void deliver(byte[] channel, byte[] envelope) {
        if (log.isTraceEnabled()) {
            log.trace("{}: received {} bytes on {}", describe(), envelope.length, utf8(channel));
        }
        receiver.accept(envelope);
    }

    private void confirmed(byte[] subscription) {
        confirmedSubscriptions.add(utf8(subscription));
        refreshState();
    }

    private void publisherConnected(Publisher connected) {
        synchronized (this) { // with close(), so that a connection made meanwhile is released or closed here
            if (closing) {
                connected.connection().closeAsync();
                return;
            }
            connected.connection().setAutoFlushCommands(false);
            publisher = connected;
        }
        connected.watch(up -> {
            publisherUp = up;
            refreshState();
        });
    }

    /**
     * Runs {@code attempt} until it succeeds or the channel closes, waiting the capped backoff
     * between tries on the channel's own thread, then hands its result to {@code onSuccess}. An
     * {@link IllegalStateException} is a configuration no retry mends: it is logged and ends the tries.
     */
    private <T> void retry(String what, long attempt, Supplier<CompletionStage<T>> action, Consumer<T> onSuccess) {
        if (closing) {
            return;
        }
        action.get().whenComplete((result, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (failure == null) {
                onSuccess.accept(result);
            } else if (closing) {
                log.debug("{}: gave up trying to {} on closing ({})", describe(), what, cause.getMessage());
            } else if (cause instanceof IllegalStateException) {
                log.error("{}: cannot {}: {}", describe(), what, cause.getMessage());
            } else {
                Duration delay = RETRY_DELAY.createDelay(attempt);
                if (attempt == 1) {
                    log.info("{}: cannot {} yet ({}); retrying", describe(), what, cause.getMessage());
                } else {
                    log.debug("{}: cannot {} yet, attempt {} ({}); retrying in {}", describe(), what, attempt,
                            cause.getMessage(), delay);
                }
                try {
                    connector.schedule(() -> retry(what, attempt + 1, action, onSuccess), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closedMeanwhile) {
                    // close() has begun; there is nothing left to retry for.
                }
            }
        });
    }

    @Override
    public void send(String to, byte[] envelope) {
        if (directChannels.size() > MAX_CACHED_CHANNELS) {
            directChannels.clear(); // forged sender ids must not grow it without bound
        }
        publish(directChannels.computeIfAbsent(to, peer -> utf8(topology.directChannel(channelName, peer))), envelope);
    }

    @Override
    public void broadcast(byte[] envelope) {
        publish(ownBroadcastChannel, envelope);
    }

    private void publish(byte[] channel, byte[] envelope) {
        Publisher connection = publisher;
        if (connection == null || !publisherUp || closing) {
            droppedSends.increment();
            return;
        }
        if (pendingPublishes.incrementAndGet() > MAX_PENDING_PUBLISHES) {
            pendingPublishes.decrementAndGet();
            droppedSends.increment();
            return;
        }
        connection.publish(channel, envelope).whenComplete((receivers, failure) -> {
            pendingPublishes.decrementAndGet();
            if (failure != null) {
                droppedSends.increment();
            }
        });
    }

    /** Writes the publish commands queued since the last flush to Redis in one batch. */
    @Override
    public void flush() {
        Publisher connection = publisher;
        if (connection != null) {
            connection.connection().flushCommands();
        }
    }

    @Override
    public ChannelState state() {
        if (closing) {
            return ChannelState.CLOSED;
        }
        if (!opened) {
            return ChannelState.NEW;
        }
        return publisherUp && confirmedSubscriptions.size() == 2 ? ChannelState.CONNECTED : ChannelState.CONNECTING;
    }

    /** Logs each change of state once, whichever connection's event caused it. */
    private void refreshState() {
        synchronized (stateLog) {
            ChannelState now = state();
            if (now == loggedState) {
                return;
            }
            if (now == ChannelState.CONNECTED) {
                log.info("{}: connected as {}", describe(), nodeId);
            } else if (loggedState == ChannelState.CONNECTED && now == ChannelState.CONNECTING) {
                log.info("{}: disconnected; reconnecting", describe());
            }
            loggedState = now;
        }
    }

    /** How many envelopes were dropped because Redis was unreachable or too many were queued. */
    public long droppedSends() {
        return droppedSends.sum();
    }

    /** How many received envelopes the node's receiver threw on. */
    public long receiverFailures() {
        return receiver == null ? 0 : receiver.failures();
    }

    /**
     * {@code redis <channelName>@<host>:<port>}, {@code @<sentinel host>:<port>,..#<master>} for
     * Sentinel, or {@code @RedisClient} on the application's client; on an application's
     * {@code RedisClusterClient}, the cluster's {@code <host>:<port>,..} once connected, else
     * {@code @RedisClusterClient}; never the password.
     */
    @Override
    public String describe() {
        return "redis " + channelName + "@" + (where != null ? where : topology.describe());
    }

    private static String describe(RedisURI uri) {
        if (!uri.getSentinels().isEmpty()) {
            return uri.getSentinels().stream().map(sentinel -> sentinel.getHost() + ":" + sentinel.getPort())
                    .collect(Collectors.joining(",")) + "#" + uri.getSentinelMasterId();
        }
        return uri.getHost() != null ? uri.getHost() + ":" + uri.getPort() : uri.getSocket();
    }

    /**
     * Closes both connections, and the client and Lettuce threads if this channel created them;
     * an application's client stays open. Completes without waiting for a connect in progress,
     * which closes its connection itself once it returns.
     */
    @Override
    public synchronized CompletableFuture<Void> close() {
        if (closing) {
            return closeCompletion;
        }
        closing = true;
        if (!opened) {
            closeCompletion.complete(null);
            return closeCompletion;
        }
        log.info("{}: closing", describe());
        // Not behind a connect in progress, which may block up to the connect timeout per server:
        // that connect's callback sees closing and closes its connection itself.
        connector.shutdown();
        release();
        return closeCompletion;
    }

    private void release() {
        StatefulRedisPubSubConnection<byte[], byte[]> receiving = subscriber;
        Publisher publishing = publisher;
        CompletableFuture<Void> connections = CompletableFuture.allOf(
                receiving == null ? CompletableFuture.completedFuture(null) : receiving.closeAsync(),
                publishing == null ? CompletableFuture.completedFuture(null) : publishing.connection().closeAsync());
        if (uri == null) { // the application's client: it closes that itself
            connections.whenComplete((ignored, failure) -> closeCompletion.complete(null));
            return;
        }
        long timeout = SHUTDOWN_TIMEOUT.toMillis();
        ClientResources resources = client.getResources();
        connections.whenComplete((closed, failed) -> client.shutdownAsync(0, timeout, TimeUnit.MILLISECONDS)
                .whenComplete((ignored, failure) -> resources.shutdown(0, timeout, TimeUnit.MILLISECONDS)
                        .addListener(shutdown -> closeCompletion.complete(null))));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
