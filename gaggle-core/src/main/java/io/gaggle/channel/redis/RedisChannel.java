package io.gaggle.channel.redis;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.X509TrustManager;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.GuardedReceiver;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
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
 * <b>Connections.</b> One pub/sub connection receives; one ordinary connection publishes, with
 * auto-flush off: {@link #send} and {@link #broadcast} queue PUBLISH commands without touching the
 * socket, and {@link #flush()} writes the whole turn's batch in one go. This channel therefore
 * relies on the node calling {@code flush()} once per turn, as {@link Channel#flush()} says.
 * <p>
 * <b>Reconnection.</b> Lettuce's auto-reconnect only takes over once a connection was made, so
 * while Redis cannot be reached at {@link #open}, this channel retries connecting and subscribing
 * itself, with the same capped backoff ({@value #MIN_RETRY_MILLIS} ms doubling up to
 * {@value #MAX_RETRY_MILLIS} ms) that it gives Lettuce for later reconnects. After a reconnect
 * Lettuce re-subscribes; the state is {@link ChannelState#CONNECTED} only while the publisher is
 * connected and Redis has confirmed both subscriptions.
 * <p>
 * <b>Slow subscribers.</b> Redis disconnects a subscriber that reads too slowly once its output
 * buffer passes {@code client-output-buffer-limit pubsub}; the channel then reconnects and
 * re-subscribes as after any disconnect, and Raft resends what the node missed. Catching up needs
 * the hard limit, and the soft limit over its period, to hold the leader's largest burst to one
 * follower: up to 16 AppendEntries of up to 1 MiB each (or one larger entry). Redis's default
 * ({@code 32mb 8mb 60}) does; a lower limit can keep a lagging node from ever catching up.
 * <p>
 * <b>Bounded memory.</b> Lettuce rejects commands while disconnected instead of buffering them,
 * and at most {@value #MAX_PENDING_PUBLISHES} PUBLISH commands may wait for a flush or a reply. A
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
    private final RedisURI uri;
    private final X509TrustManager trustManager;
    private final Set<String> confirmedSubscriptions = ConcurrentHashMap.newKeySet();
    /** Each peer's direct channel name, encoded once rather than on every send. */
    private final Map<String, byte[]> directChannels = new ConcurrentHashMap<>();
    private final LongAdder droppedSends = new LongAdder();
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private final CompletableFuture<Void> closeCompletion = new CompletableFuture<>();
    private final Object stateLog = new Object();

    private String nodeId;
    private byte[] ownBroadcastChannel;
    private GuardedReceiver receiver;
    private ClientResources resources;
    private RedisClient client;
    private volatile StatefulRedisConnection<byte[], byte[]> publisher;
    private volatile boolean publisherUp;
    private volatile boolean opened;
    private volatile boolean closing;
    private ChannelState loggedState = ChannelState.NEW;

    /**
     * @param channelName the cluster's name; every node of the cluster uses the same
     * @param connectionString a Redis URI ({@code redis://}, {@code rediss://} for TLS, with
     *        optional {@code user:password@} and {@code /database}), as Lettuce's {@link RedisURI}
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

    @Override
    public synchronized void open(String nodeId, Consumer<byte[]> receiver) {
        if (opened || closing) {
            throw new IllegalStateException(describe() + " already opened");
        }
        this.nodeId = nodeId;
        this.ownBroadcastChannel = utf8(broadcastChannel(channelName, nodeId));
        this.receiver = new GuardedReceiver(receiver, describe());
        // Two connections need no more threads than Lettuce's minimum, whatever the core count.
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(RETRY_DELAY)
                .build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
        if (trustManager != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider()
                    .sslContext(context -> context.trustManager(trustManager)).build());
        }
        client.setOptions(options.build());
        opened = true;
        refreshState();
        retry("connect the subscriber", 1, () -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri),
                this::subscriberConnected);
        retry("connect the publisher", 1, () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri),
                this::publisherConnected);
    }

    private void subscriberConnected(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
        if (closing) {
            connection.closeAsync();
            return;
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
            public void subscribed(byte[] channel, long count) {
                confirmed(channel);
            }

            @Override
            public void psubscribed(byte[] pattern, long count) {
                confirmed(pattern);
            }
        });
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                confirmedSubscriptions.clear();
                refreshState();
            }
        });
        // Lettuce re-subscribes after a reconnect only to what Redis confirmed, so the first
        // subscriptions are retried until confirmed.
        retry("subscribe", 1, () -> connection.async().subscribe(utf8(directChannel(channelName, nodeId))),
                ignored -> { });
        retry("psubscribe", 1, () -> connection.async().psubscribe(utf8(broadcastPattern(channelName))),
                ignored -> { });
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

    private void publisherConnected(StatefulRedisConnection<byte[], byte[]> connection) {
        if (closing) {
            connection.closeAsync();
            return;
        }
        connection.setAutoFlushCommands(false);
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connected, SocketAddress address) {
                publisherUp = true;
                refreshState();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                publisherUp = false;
                refreshState();
            }
        });
        publisher = connection;
        publisherUp = connection.isOpen();
        refreshState();
    }

    /**
     * Runs {@code attempt} until it succeeds or the channel closes, waiting the capped backoff
     * between tries, then hands its result to {@code onSuccess}. Runs on Lettuce's threads.
     */
    private <T> void retry(String what, long attempt, Supplier<CompletionStage<T>> action, Consumer<T> onSuccess) {
        if (closing) {
            return;
        }
        action.get().whenComplete((result, failure) -> {
            if (failure == null) {
                onSuccess.accept(result);
            } else if (!closing) {
                Duration delay = RETRY_DELAY.createDelay(attempt);
                if (attempt == 1) {
                    log.info("{}: cannot {} yet ({}); retrying", describe(), what, failure.getMessage());
                } else {
                    log.debug("{}: cannot {} yet, attempt {} ({}); retrying in {}", describe(), what, attempt,
                            failure.getMessage(), delay);
                }
                resources.eventExecutorGroup().schedule(() -> retry(what, attempt + 1, action, onSuccess),
                        delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void send(String to, byte[] envelope) {
        if (directChannels.size() > MAX_CACHED_CHANNELS) {
            directChannels.clear(); // forged sender ids must not grow it without bound
        }
        publish(directChannels.computeIfAbsent(to, peer -> utf8(directChannel(channelName, peer))), envelope);
    }

    @Override
    public void broadcast(byte[] envelope) {
        publish(ownBroadcastChannel, envelope);
    }

    private void publish(byte[] channel, byte[] envelope) {
        StatefulRedisConnection<byte[], byte[]> connection = publisher;
        if (connection == null || !publisherUp || closing) {
            droppedSends.increment();
            return;
        }
        if (pendingPublishes.incrementAndGet() > MAX_PENDING_PUBLISHES) {
            pendingPublishes.decrementAndGet();
            droppedSends.increment();
            return;
        }
        connection.async().publish(channel, envelope).whenComplete((receivers, failure) -> {
            pendingPublishes.decrementAndGet();
            if (failure != null) {
                droppedSends.increment();
            }
        });
    }

    /** Writes the PUBLISH commands queued since the last flush to Redis in one batch. */
    @Override
    public void flush() {
        StatefulRedisConnection<byte[], byte[]> connection = publisher;
        if (connection != null) {
            connection.flushCommands();
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

    /** {@code redis <channelName>@<host>:<port>}; never the password. */
    @Override
    public String describe() {
        String where = uri.getHost() != null ? uri.getHost() + ":" + uri.getPort() : uri.toString();
        return "redis " + channelName + "@" + where;
    }

    /** Closes both connections and the Lettuce threads this channel created. */
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
        long timeout = SHUTDOWN_TIMEOUT.toMillis();
        client.shutdownAsync(0, timeout, TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> resources
                .shutdown(0, timeout, TimeUnit.MILLISECONDS)
                .addListener(shutdown -> closeCompletion.complete(null)));
        return closeCompletion;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
