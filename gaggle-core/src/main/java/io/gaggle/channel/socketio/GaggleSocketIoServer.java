package io.gaggle.channel.socketio;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import io.netty.channel.ChannelFuture;
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
 * id, sends addressed to that id reach this socket, replacing an earlier socket that declared the
 * same id (a node that reconnected). A requested acknowledgement is sent once declared.</li>
 * <li>{@code msg}: an object {@code {"to": <nodeId> | null, ...}}, forwarded to the socket that
 * declared {@code to} in the sender's channel, or, when {@code to} is null or absent, to every
 * other socket of that channel. The object is forwarded as read, except that null members are
 * left out (netty-socketio's JSON mapper drops them).</li>
 * </ul>
 * Anything else (a msg before a declaration, a msg that is not an object, a {@code to} that is
 * not a string, a direct msg to an id nobody declared) is dropped and counted
 * ({@link #droppedMessages()}). Routes live in memory only: after a restart, clients re-declare.
 * <p>
 * One instance serves once: {@link #start()}, then {@link #close()}. Messages may be up to
 * {@value #MAX_MESSAGE_BYTES} bytes, well above netty-socketio's 64 KiB default, because one Raft
 * AppendEntries batch can be larger.
 */
public final class GaggleSocketIoServer implements AutoCloseable {

    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(GaggleSocketIoServer.class);

    private final SocketIOServer server;
    private final String hostname;
    private final Map<UUID, Declaration> declarations = new ConcurrentHashMap<>();
    private final Map<Declaration, SocketIOClient> routes = new ConcurrentHashMap<>();
    private final LongAdder droppedMessages = new LongAdder();
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
        Configuration configuration = new Configuration();
        configuration.setHostname(hostname);
        configuration.setPort(port);
        configuration.setAckMode(AckMode.MANUAL);
        configuration.setMaxFramePayloadLength(MAX_MESSAGE_BYTES);
        configuration.setMaxHttpContentLength(MAX_MESSAGE_BYTES);
        SocketConfig socket = new SocketConfig();
        // So that a restarted relay can bind its port again at once.
        socket.setReuseAddress(true);
        configuration.setSocketConfig(socket);
        server = new SocketIOServer(configuration);
        server.addEventListener("declareChannel", Object.class, (client, data, ack) -> declare(client, data, ack));
        server.addEventListener("msg", Object.class, (client, data, ack) -> relay(client, data));
        server.addDisconnectListener(this::forget);
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
        Future<Void> bind = server.startAsync().awaitUninterruptibly();
        if (!bind.isSuccess()) {
            closed = true;
            server.stop();
            throw new IllegalStateException("socket.io relay cannot listen on " + where(server.getConfiguration()
                    .getPort()), bind.cause());
        }
        // netty-socketio returns the bind's ChannelFuture, the only place that knows a port picked by 0.
        boundPort = ((InetSocketAddress) ((ChannelFuture) bind).channel().localAddress()).getPort();
        log.info("socket.io relay listening on {}", where(boundPort));
        return this;
    }

    /** The port the relay listens on, also when it was created with port 0; 0 before {@link #start()}. */
    public int port() {
        return boundPort;
    }

    /** How many msg and declareChannel events were dropped as undeliverable or malformed. */
    public long droppedMessages() {
        return droppedMessages.sum();
    }

    private void declare(SocketIOClient client, Object data, AckRequest ack) {
        Declaration declaration = Declaration.of(data);
        if (declaration == null) {
            drop(client, "a declareChannel without a channel name");
            return;
        }
        forget(client);
        client.joinRoom(declaration.channel());
        declarations.put(client.getSessionId(), declaration);
        if (declaration.id() != null) {
            routes.put(declaration, client);
        }
        log.info("{} joined socket.io channel {}{}", client.getRemoteAddress(), declaration.channel(),
                declaration.id() == null ? "" : " as " + declaration.id());
        if (ack.isAckRequested()) {
            ack.sendAckData(declaration.channel());
        }
    }

    private void relay(SocketIOClient sender, Object data) {
        Declaration from = declarations.get(sender.getSessionId());
        if (from == null) {
            drop(sender, "a msg before declareChannel");
        } else if (!(data instanceof Map<?, ?> message)) {
            drop(sender, "a msg that is not an object");
        } else if (message.get("to") == null) {
            server.getRoomOperations(from.channel()).sendEvent("msg", sender, data);
        } else if (!(message.get("to") instanceof String to)) {
            drop(sender, "a msg whose 'to' is not a string");
        } else {
            SocketIOClient target = routes.get(new Declaration(from.channel(), to));
            if (target == null) {
                drop(sender, "a msg to an id nobody declared");
            } else {
                target.sendEvent("msg", data);
            }
        }
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
