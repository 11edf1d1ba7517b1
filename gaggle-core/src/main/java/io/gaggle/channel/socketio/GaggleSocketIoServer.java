package io.gaggle.channel.socketio;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.transport.NamespaceClient;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO relay that {@link SocketIoChannel} nodes meet through: the Java counterpart of the
 * original's {@code enhanceServerForSocketIOChannel}. It is a plain Socket.IO v4 server (on
 * netty-socketio), so JavaScript {@code socket.io-client}s can join a channel and watch.
 * <ul>
 * <li>{@code declareChannel}: the socket joins a channel. The payload is the channel name (a
 * string, as the original's clients send) or {@code {"channel": <name>, "id": <nodeId>}}; with an
 * id, sends addressed to that id reach this socket. A requested acknowledgement is sent once
 * declared. An id that another live socket declared in that channel is refused: the relay
 * acknowledges {@code {"error": <why>}}, logs a WARN and disconnects the socket, so nobody can
 * take over a node's direct messages. The id is free again once its socket disconnects, which the
 * relay notices within {@value #PING_SECONDS} s twice over when a socket vanishes without closing.</li>
 * <li>{@code msg}: an object {@code {"to": <nodeId> | null, ...}}, forwarded to the socket that
 * declared {@code to} in the sender's channel, or, when {@code to} is null or absent, to every
 * other socket of that channel. The object is forwarded as read, except that null members are
 * left out (netty-socketio's JSON mapper drops them).</li>
 * </ul>
 * Anything else (a msg before a declaration, a msg that is not an object, a {@code to} that is
 * not a string, a direct msg to an id nobody declared) is dropped and counted
 * ({@link #droppedMessages()}). Routes live in memory only: after a restart, clients re-declare.
 * <p>
 * <b>Security.</b> With a {@link #token(String) token}, a client must send it in the Socket.IO
 * handshake's {@code auth} payload, {@code {"token": <token>}}; one without it, or with another,
 * gets a {@code connect_error}, none of its events is relayed, and it is disconnected
 * {@value #AUTHENTICATION_SECONDS} s after connecting. With an {@link #ssl(SSLContext) SSL context}
 * the relay serves {@code https}/{@code wss} only. A socket that stops reading is disconnected
 * ({@link #disconnectedSlowSockets()}) once {@value #MAX_BUFFERED_BYTES} bytes wait for it (or,
 * over HTTP long-polling, {@value #MAX_QUEUED_POLLING_PACKETS} packets), so a stalled client
 * cannot grow the relay's memory.
 * <p>
 * One instance serves once: configure it, {@link #start()}, then {@link #close()}. Messages may be
 * up to {@value #MAX_MESSAGE_BYTES} bytes, well above netty-socketio's 64 KiB default, because one
 * Raft AppendEntries batch can be larger.
 */
public final class GaggleSocketIoServer implements AutoCloseable {

    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Room for two of the largest messages, so that only a socket that stopped reading reaches it. */
    static final int MAX_BUFFERED_BYTES = 2 * MAX_MESSAGE_BYTES;
    static final int MAX_QUEUED_POLLING_PACKETS = 1_000;
    /** Ping interval and timeout: a socket that vanished without closing is gone after twice this. */
    static final int PING_SECONDS = 10;
    static final int AUTHENTICATION_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(GaggleSocketIoServer.class);

    private final String hostname;
    private final int requestedPort;
    private byte[] token;
    private SSLContext sslContext;
    private SocketIOServer server;
    private final Set<UUID> authenticated = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Declaration> declarations = new ConcurrentHashMap<>();
    private final Map<Declaration, SocketIOClient> routes = new ConcurrentHashMap<>();
    private final LongAdder droppedMessages = new LongAdder();
    private final LongAdder refusedSockets = new LongAdder();
    private final LongAdder disconnectedSlowSockets = new LongAdder();
    private volatile int boundPort;
    private boolean started;
    private boolean closed;

    /**
     * A relay on every interface of this host.
     *
     * @param port the port to listen on; 0 picks a free one (see {@link #port()})
     */
    public GaggleSocketIoServer(int port) {
        this(null, port);
    }

    /**
     * @param hostname the address to listen on, or null for every interface
     * @param port the port to listen on; 0 picks a free one (see {@link #port()})
     */
    public GaggleSocketIoServer(String hostname, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("socket.io relay port must be 0..65535: " + port);
        }
        this.hostname = hostname;
        this.requestedPort = port;
    }

    /**
     * Admits only clients that send this token in the handshake's {@code auth} payload, as
     * {@link SocketIoChannel} does when given the same token. Without one, anyone who reaches the
     * port can join any channel, read its traffic and send in it.
     *
     * @param token the shared token, e.g. {@link RelayToken#fromSecret(String)} of the cluster secret
     * @return this relay
     * @throws IllegalArgumentException if the token is empty
     * @throws IllegalStateException if the relay was started
     */
    public synchronized GaggleSocketIoServer token(String token) {
        requireUnstarted();
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("socket.io relay token must not be empty");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * Serves {@code https}/{@code wss} with this context's key material instead of plain HTTP.
     *
     * @param sslContext a server context, e.g. from a PKCS#12 key store through a
     *        {@link javax.net.ssl.KeyManagerFactory}, or a Spring Boot SSL bundle's
     * @return this relay
     * @throws IllegalStateException if the relay was started
     */
    public synchronized GaggleSocketIoServer ssl(SSLContext sslContext) {
        requireUnstarted();
        if (sslContext == null) {
            throw new IllegalArgumentException("socket.io relay SSL context must not be null");
        }
        this.sslContext = sslContext;
        return this;
    }

    private void requireUnstarted() {
        if (started || closed) {
            throw new IllegalStateException("a socket.io relay is configured before it starts");
        }
    }

    /**
     * Binds the port and starts relaying.
     *
     * @return this relay
     * @throws IllegalStateException if the port cannot be bound, or the relay was started before
     */
    public synchronized GaggleSocketIoServer start() {
        if (started || closed) {
            throw new IllegalStateException("a socket.io relay starts once; create a new one to restart");
        }
        started = true;
        server = new SocketIOServer(configuration());
        server.setPipelineFactory(new Pipeline());
        if (token != null) {
            server.getNamespace(Namespace.DEFAULT_NAME).addAuthTokenListener(this::authenticate);
            server.addConnectListener(this::awaitAuthentication);
        }
        server.addEventListener("declareChannel", Object.class, (client, data, ack) -> declare(client, data, ack));
        server.addEventListener("msg", Object.class, (client, data, ack) -> relay(client, data));
        server.addDisconnectListener(this::disconnected);
        Future<Void> bind = server.startAsync().awaitUninterruptibly();
        if (!bind.isSuccess()) {
            closed = true;
            server.stop();
            throw new IllegalStateException("socket.io relay cannot listen on " + where(requestedPort), bind.cause());
        }
        // netty-socketio returns the bind's ChannelFuture, the only place that knows a port picked by 0.
        boundPort = ((InetSocketAddress) ((ChannelFuture) bind).channel().localAddress()).getPort();
        log.info("socket.io relay listening on {}://{}", sslContext == null ? "http" : "https", where(boundPort));
        if (token == null) {
            log.warn("socket.io relay on {} admits any client: set a token to admit only the cluster's nodes",
                    where(boundPort));
        }
        return this;
    }

    private Configuration configuration() {
        Configuration configuration = new Configuration();
        configuration.setHostname(hostname);
        configuration.setPort(requestedPort);
        configuration.setAckMode(AckMode.MANUAL);
        configuration.setMaxFramePayloadLength(MAX_MESSAGE_BYTES);
        configuration.setMaxHttpContentLength(MAX_MESSAGE_BYTES);
        configuration.setPingInterval((int) TimeUnit.SECONDS.toMillis(PING_SECONDS));
        configuration.setPingTimeout((int) TimeUnit.SECONDS.toMillis(PING_SECONDS));
        // Otherwise a client names its own session id in a header, and could name another's.
        configuration.setRandomSession(true);
        SocketConfig socket = new SocketConfig();
        // So that a restarted relay can bind its port again at once.
        socket.setReuseAddress(true);
        socket.setWriteBufferWaterMarkLow(MAX_BUFFERED_BYTES / 2);
        socket.setWriteBufferWaterMarkHigh(MAX_BUFFERED_BYTES);
        configuration.setSocketConfig(socket);
        return configuration;
    }

    /** The port the relay listens on, also when it was created with port 0; 0 before {@link #start()}. */
    public int port() {
        return boundPort;
    }

    /** How many msg and declareChannel events were dropped as undeliverable or malformed. */
    public long droppedMessages() {
        return droppedMessages.sum();
    }

    /**
     * How many times a socket was refused: for a handshake without the token or with another, for
     * an event before authenticating, or for declaring an id that a live socket holds.
     */
    public long refusedSockets() {
        return refusedSockets.sum();
    }

    /** How many sockets were disconnected for not reading what the relay had for them. */
    public long disconnectedSlowSockets() {
        return disconnectedSlowSockets.sum();
    }

    private AuthTokenResult authenticate(Object auth, SocketIOClient client) {
        Object offered = auth instanceof Map<?, ?> map ? map.get("token") : null;
        if (offered instanceof String text && MessageDigest.isEqual(text.getBytes(StandardCharsets.UTF_8), token)) {
            authenticated.add(client.getSessionId());
            return AuthTokenResult.AuthTokenResultSuccess;
        }
        String why = offered == null ? "no token" : "a wrong token";
        refusedSockets.increment();
        log.warn("socket.io relay refused {}: {} in the handshake's auth payload", client.getRemoteAddress(), why);
        return new AuthTokenResult(false, Map.of("message", "the relay needs a token; this handshake has " + why));
    }

    /** A socket that never authenticates, or failed to, is not kept open for free. */
    private void awaitAuthentication(SocketIOClient client) {
        CompletableFuture.delayedExecutor(AUTHENTICATION_SECONDS, TimeUnit.SECONDS).execute(() -> {
            if (client.isChannelOpen() && !authenticated.contains(client.getSessionId())) {
                client.disconnect();
            }
        });
    }

    private boolean admit(SocketIOClient client, String event) {
        if (token == null || authenticated.contains(client.getSessionId())) {
            return true;
        }
        refusedSockets.increment();
        log.debug("socket.io relay disconnects {}: {} before authenticating", client.getRemoteAddress(), event);
        client.disconnect();
        return false;
    }

    private void declare(SocketIOClient client, Object data, AckRequest ack) {
        if (!admit(client, "declareChannel")) {
            return;
        }
        Declaration declaration = Declaration.of(data);
        if (declaration == null) {
            drop(client, "a declareChannel without a channel name");
            return;
        }
        forget(client);
        if (declaration.id() != null && !claim(declaration, client)) {
            refusedSockets.increment();
            log.warn("socket.io relay refused {} declaring id {} in channel {}: a live socket holds it; "
                    + "disconnecting it", client.getRemoteAddress(), declaration.id(), declaration.channel());
            if (ack.isAckRequested()) {
                ack.sendAckData(Map.of("error", "id " + declaration.id() + " is held by a live socket"));
            }
            client.disconnect();
            return;
        }
        client.joinRoom(declaration.channel());
        declarations.put(client.getSessionId(), declaration);
        log.info("{} joined socket.io channel {}{}", client.getRemoteAddress(), declaration.channel(),
                declaration.id() == null ? "" : " as " + declaration.id());
        if (ack.isAckRequested()) {
            ack.sendAckData(declaration.channel());
        }
    }

    /** Routes the declaration's id to the client, unless a live socket holds it. */
    private boolean claim(Declaration declaration, SocketIOClient client) {
        SocketIOClient holder = routes.compute(declaration,
                (key, current) -> current == null || !current.isChannelOpen() ? client : current);
        return holder == client;
    }

    private void relay(SocketIOClient sender, Object data) {
        if (!admit(sender, "msg")) {
            return;
        }
        Declaration from = declarations.get(sender.getSessionId());
        if (from == null) {
            drop(sender, "a msg before declareChannel");
        } else if (!(data instanceof Map<?, ?> message)) {
            drop(sender, "a msg that is not an object");
        } else if (message.get("to") == null) {
            for (SocketIOClient client : server.getRoomOperations(from.channel()).getClients()) {
                if (!client.getSessionId().equals(sender.getSessionId())) {
                    deliver(client, data);
                }
            }
        } else if (!(message.get("to") instanceof String to)) {
            drop(sender, "a msg whose 'to' is not a string");
        } else {
            SocketIOClient target = routes.get(new Declaration(from.channel(), to));
            if (target == null) {
                drop(sender, "a msg to an id nobody declared");
            } else {
                deliver(target, data);
            }
        }
    }

    /**
     * Sends a msg, unless the socket has too many waiting for it over long-polling, which queues
     * between polls. A WebSocket is bounded in bytes by its channel's write buffer ({@link Pipeline}).
     */
    private void deliver(SocketIOClient client, Object data) {
        if (client.getTransport() == Transport.POLLING && client instanceof NamespaceClient namespaceClient
                && namespaceClient.getBaseClient().getPacketsQueue(Transport.POLLING).size()
                        >= MAX_QUEUED_POLLING_PACKETS) {
            disconnectSlow(client.getRemoteAddress(), MAX_QUEUED_POLLING_PACKETS + " packets");
            client.disconnect();
            return;
        }
        client.sendEvent("msg", data);
    }

    private void disconnectSlow(Object remoteAddress, String backlog) {
        disconnectedSlowSockets.increment();
        log.warn("socket.io relay disconnects {}: it stopped reading, {} wait for it", remoteAddress, backlog);
    }

    private void disconnected(SocketIOClient client) {
        forget(client);
        authenticated.remove(client.getSessionId());
    }

    private void forget(SocketIOClient client) {
        Declaration declaration = declarations.remove(client.getSessionId());
        if (declaration != null) {
            client.leaveRoom(declaration.channel());
            routes.remove(declaration, client);
            log.info("{} left socket.io channel {}", client.getRemoteAddress(), declaration.channel());
        }
    }

    private void drop(SocketIOClient client, String what) {
        droppedMessages.increment();
        log.debug("dropped {} from {}", what, client.getRemoteAddress());
    }

    private String where(int port) {
        return (hostname == null ? "*" : hostname) + ":" + port;
    }

    /** Stops listening and disconnects every socket; takes netty's quiet period of about 2 s. */
    @Override
    public synchronized void close() {
        if (started && !closed) {
            server.stop();
        }
        closed = true;
    }

    /**
     * netty-socketio's pipeline with what the relay adds: its own TLS context, the token check for
     * handshakes without a payload, and the disconnection of sockets that stop reading.
     */
    private final class Pipeline extends SocketIOChannelInitializer {

        private final AuthPayloadFiller authPayloadFiller = new AuthPayloadFiller();
        private final SlowReaderGuard slowReaderGuard = new SlowReaderGuard();

        private final PacketsPastTls packetsPastTls = new PacketsPastTls();

        @Override
        protected void addSslHandler(ChannelPipeline pipeline) {
            if (sslContext != null) {
                SSLEngine engine = sslContext.createSSLEngine();
                engine.setUseClientMode(false);
                pipeline.addLast("gagglePacketsPastTls", packetsPastTls);
                pipeline.addLast(SSL_HANDLER, new SslHandler(engine));
            }
        }

        @Override
        protected void addSocketioHandlers(ChannelPipeline pipeline) {
            super.addSocketioHandlers(pipeline);
            if (token != null) {
                pipeline.addBefore(PACKET_HANDLER, "gaggleAuthPayloadFiller", authPayloadFiller);
            }
            pipeline.addFirst("gaggleSlowReaderGuard", slowReaderGuard);
        }
    }

    /**
     * Closes a connection whose write buffer passed its high-water mark, {@value #MAX_BUFFERED_BYTES}
     * bytes: its peer stopped reading. netty-socketio then disconnects the socket as for any closed
     * connection. A plain disconnect would not do: it waits until its own packet is written, which
     * for this peer is never.
     */
    @ChannelHandler.Sharable
    private final class SlowReaderGuard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
                disconnectSlow(ctx.channel().remoteAddress(), "over " + MAX_BUFFERED_BYTES + " bytes");
                ctx.channel().close();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    /**
     * Passes netty-socketio's decoded packets around the TLS handler. Its transports fire them at
     * the head of the pipeline while the TLS handler is still decoding the record they came in,
     * and since Netty 4.1.129 and 4.2.8 a decoder queues such a reentrant read until it is done,
     * by when the transport has released the packets' buffer (netty-socketio issue 1062).
     */
    @ChannelHandler.Sharable
    private static final class PacketsPastTls extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof PacketsMessage) {
                ctx.pipeline().context(SocketIOChannelInitializer.SSL_HANDLER).fireChannelRead(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }

    /** A socket's channel, and the node id it receives direct msgs for (null: broadcasts only). */
    private record Declaration(String channel, String id) {

        /** Reads a declareChannel payload: a channel name, or {"channel": .., "id": ..}; null if neither. */
        static Declaration of(Object data) {
            if (data instanceof String channel && !channel.isEmpty()) {
                return new Declaration(channel, null);
            }
            if (data instanceof Map<?, ?> map && map.get("channel") instanceof String channel && !channel.isEmpty()) {
                return new Declaration(channel, map.get("id") instanceof String id ? id : null);
            }
            return null;
        }
    }
}
