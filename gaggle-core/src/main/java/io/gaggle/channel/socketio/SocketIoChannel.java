package io.gaggle.channel.socketio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.GuardedReceiver;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import io.socket.thread.EventThread;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original's {@code socket.io} channel: nodes meet through a Socket.IO relay, such as
 * {@link GaggleSocketIoServer}, that forwards envelopes among the sockets of one channel.
 * <p>
 * <b>Wire format</b> (plain Socket.IO v4 events, so a JavaScript {@code socket.io-client} can
 * take part or watch):
 * <ul>
 * <li>{@code declareChannel} with {@code {"channel": <channel>, "id": <nodeId>}}, emitted on every
 * connect, asking for an acknowledgement: the relay joins the socket to the channel and routes
 * sends addressed to that id to it. The channel is {@link ChannelState#CONNECTED} once the relay
 * acknowledged, i.e. once envelopes can reach this node.</li>
 * <li>{@code msg} with {@code {"to": <nodeId> | null, "data": <envelope>}}: {@code to} is the
 * target of a direct send, {@code null} for a broadcast (the relay may leave a null {@code to} out
 * when it forwards); {@code data} is the envelope as a string.
 * Envelopes are UTF-8 JSON text, so they travel as text (readable in a browser's network tab)
 * rather than as base64 or a binary attachment; an envelope that is not valid UTF-8 is dropped and
 * counted. A received {@code data} may also be a binary attachment, which is taken as is.</li>
 * </ul>
 * <b>Reconnection</b> is socket.io-client's own, with a capped backoff ({@value #MIN_RETRY_MILLIS}
 * ms up to {@value #MAX_RETRY_MILLIS} ms); it also covers a relay that is down at {@link #open}.
 * Since a restarted relay knows nothing of its former sockets, the channel is declared again on
 * every connect. The client speaks WebSocket from the start rather than HTTP long-polling first:
 * every Socket.IO v4 server accepts that, and it needs no sticky sessions behind a load balancer.
 * When the relay refuses the node (a wrong token, or its id still held by an earlier socket) or
 * disconnects it, the node logs why and tries again every {@value #MAX_RETRY_MILLIS} ms.
 * <p>
 * <b>Security.</b> With a token, the node sends {@code {"token": <token>}} as the handshake's
 * {@code auth} payload, which {@link GaggleSocketIoServer#token(String)} checks. An {@code https}
 * host is reached over TLS, with the JVM's default trust or a given trust manager.
 * <p>
 * <b>Threads and memory.</b> {@link #send} and {@link #broadcast} only queue; {@link #flush()}
 * hands the batch to socket.io-client's event thread in one task. Envelopes are emitted only while
 * the channel is declared, so socket.io-client's unbounded offline buffer stays empty; at most
 * {@value #MAX_PENDING_ENVELOPES} envelopes may wait for that thread, and sends beyond that, or
 * while disconnected, are dropped and counted ({@link #droppedSends()}).
 */
public final class SocketIoChannel implements Channel {

    static final int MAX_PENDING_ENVELOPES = 10_000;
    static final long MIN_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(SocketIoChannel.class);

    private final URI host;
    private final String channel;
    private final String token;
    private final X509TrustManager trustManager;
    /** Confined to the node's consensus thread, the one caller of send, broadcast and flush. */
    private List<Outgoing> batch = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder droppedSends = new LongAdder();
    private final LongAdder droppedReceives = new LongAdder();
    private final CompletableFuture<Void> closeCompletion = new CompletableFuture<>();

    private final AtomicReference<ChannelState> state = new AtomicReference<>(ChannelState.NEW);
    private GuardedReceiver receiver;
    private OkHttpClient http;
    private Socket socket;
    /** Confined to socket.io-client's event thread. */
    private boolean refusalLogged;

    /**
     * A channel on a relay without a token, over plain HTTP or with the JVM's default trust.
     *
     * @param host the relay's URL, e.g. {@code http://localhost:9000}
     * @param channel the cluster's channel on that relay
     * @throws IllegalArgumentException if {@code host} is not an http(s) URL
     */
    public SocketIoChannel(String host, String channel) {
        this(host, channel, null, null);
    }

    /**
     * @param host the relay's URL, e.g. {@code https://relay.example:9000}
     * @param channel the cluster's channel on that relay
     * @param token the relay's token, sent in the handshake's {@code auth} payload; null for none
     * @param trustManager what checks the relay's certificate over https; null for the JVM's default
     * @throws IllegalArgumentException if {@code host} is not an http(s) URL
     */
    public SocketIoChannel(String host, String channel, String token, X509TrustManager trustManager) {
        this.host = httpUrl(host);
        this.channel = channel;
        this.token = token;
        this.trustManager = trustManager;
    }

    private static URI httpUrl(String host) {
        try {
            URI uri = new URI(host);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("socket.io host is not a URL: " + host, e);
        }
        throw new IllegalArgumentException("socket.io host must be an http(s) URL such as http://localhost:9000: "
                + host);
    }

    @Override
    public synchronized void open(String nodeId, Consumer<byte[]> receiver) {
        if (state.get() != ChannelState.NEW) {
            throw new IllegalStateException(describe() + " already opened");
        }
        this.receiver = new GuardedReceiver(receiver, describe());
        // Its own HTTP client, so that close() can release its threads and connections.
        OkHttpClient.Builder httpBuilder = new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES)
                .socketFactory(new NoDelaySocketFactory());
        if (trustManager != null) {
            httpBuilder.sslSocketFactory(trusting(trustManager).getSocketFactory(), trustManager);
        }
        http = httpBuilder.build();
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.transports = new String[] {WebSocket.NAME};
        options.reconnectionDelay = MIN_RETRY_MILLIS;
        options.reconnectionDelayMax = MAX_RETRY_MILLIS;
        options.callFactory = http;
        options.webSocketFactory = http;
        if (token != null) {
            options.auth = Map.of("token", token);
        }
        socket = IO.socket(host, options);
        Object declaration = new JSONObject(Map.of("channel", channel, "id", nodeId));
        socket.on(Socket.EVENT_CONNECT, args -> socket.emit("declareChannel", new Object[] {declaration},
                declared()));
        socket.on(Socket.EVENT_DISCONNECT, args -> disconnected(args.length > 0 ? args[0] : null));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectFailed(args.length > 0 ? args[0] : null));
        socket.on("msg", this::received);
        state.set(ChannelState.CONNECTING);
        socket.connect();
    }

    /**
     * Called back on the event thread when the relay answered this connection's declaration: with
     * the channel once declared, or with {@code {"error": ..}} when it refuses (and disconnects).
     */
    private Ack declared() {
        return args -> {
            if (args.length > 0 && args[0] instanceof JSONObject answer && answer.has("error")) {
                refused("the declaration of this node's id", answer.opt("error"));
            } else if (socket.connected() && state.compareAndSet(ChannelState.CONNECTING, ChannelState.CONNECTED)) {
                refusalLogged = false;
                log.info("{}: connected", describe());
            }
        };
    }

    /**
     * A transport error is retried by socket.io-client; a refusal by the relay (its connect_error
     * carries a JSON object) is not, so the node tries again itself.
     */
    private void connectFailed(Object error) {
        if (error instanceof JSONObject refusal) {
            refused("the connection", refusal.opt("message"));
            reconnectLater();
        } else {
            log.debug("{}: cannot connect yet ({})", describe(), error);
        }
    }

    /** Logs a refusal at WARN once, then at DEBUG until connected, since the node retries every few seconds. */
    private void refused(String what, Object why) {
        if (refusalLogged) {
            log.debug("{}: the relay refused {} again: {}", describe(), what, why);
        } else {
            refusalLogged = true;
            log.warn("{}: the relay refused {}: {}; retrying every {} ms", describe(), what, why, MAX_RETRY_MILLIS);
        }
    }

    private void disconnected(Object reason) {
        ChannelState previous = state.getAndUpdate(s -> s == ChannelState.CLOSED ? s : ChannelState.CONNECTING);
        if (previous == ChannelState.CLOSED) {
            return;
        }
        if (previous == ChannelState.CONNECTED) {
            log.info("{}: disconnected ({}); reconnecting", describe(), reason);
        }
        // socket.io-client reconnects by itself except after the server's explicit disconnect.
        if ("io server disconnect".equals(reason)) {
            reconnectLater();
        }
    }

    /** Reconnects after the longest backoff: the relay refused or dropped this socket on purpose. */
    private void reconnectLater() {
        CompletableFuture.delayedExecutor(MAX_RETRY_MILLIS, TimeUnit.MILLISECONDS, EventThread::exec).execute(() -> {
            if (state.get() != ChannelState.CLOSED) {
                socket.connect();
            }
        });
    }

    private void received(Object... args) {
        Object data = args.length > 0 && args[0] instanceof JSONObject message ? message.opt("data") : null;
        if (data instanceof String text) {
            receiver.accept(text.getBytes(StandardCharsets.UTF_8));
        } else if (data instanceof byte[] bytes) {
            receiver.accept(bytes);
        } else {
            droppedReceives.increment();
            log.debug("{}: dropped a msg without string or binary data", describe());
        }
    }

    @Override
    public void send(String to, byte[] envelope) {
        enqueue(to, envelope);
    }

    @Override
    public void broadcast(byte[] envelope) {
        enqueue(null, envelope);
    }

    private void enqueue(String to, byte[] envelope) {
        if (state.get() != ChannelState.CONNECTED) {
            droppedSends.increment();
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING_ENVELOPES) {
            pending.decrementAndGet();
            droppedSends.increment();
            return;
        }
        batch.add(new Outgoing(to, envelope));
    }

    /** Hands the envelopes queued since the last flush to the event thread, in one task. */
    @Override
    public void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<Outgoing> envelopes = batch;
        batch = new ArrayList<>();
        EventThread.exec(() -> emit(envelopes));
    }

    /** Runs on the event thread, so the text conversion stays off the node's consensus thread. */
    private void emit(List<Outgoing> envelopes) {
        pending.addAndGet(-envelopes.size());
        for (Outgoing envelope : envelopes) {
            if (state.get() != ChannelState.CONNECTED || !socket.connected()) {
                droppedSends.increment();
                continue;
            }
            try {
                socket.emit("msg", envelope.toJson());
            } catch (CharacterCodingException e) {
                droppedSends.increment();
                log.debug("{}: dropped an envelope that is not UTF-8 text", describe());
            }
        }
    }

    @Override
    public ChannelState state() {
        return state.get();
    }

    /** How many envelopes were dropped: sent while disconnected, beyond the bound, or not UTF-8. */
    public long droppedSends() {
        return droppedSends.sum();
    }

    /** How many received {@code msg} events were dropped for carrying no envelope. */
    public long droppedReceives() {
        return droppedReceives.sum();
    }

    /** How many received envelopes the node's receiver threw on. */
    public long receiverFailures() {
        return receiver == null ? 0 : receiver.failures();
    }

    /** {@code socket.io <channel>@<host>}. */
    @Override
    public String describe() {
        return "socket.io " + channel + "@" + host;
    }

    /** Disconnects from the relay and releases the HTTP client's threads and connections. */
    @Override
    public synchronized CompletableFuture<Void> close() {
        ChannelState previous = state.getAndSet(ChannelState.CLOSED);
        if (previous == ChannelState.NEW) {
            closeCompletion.complete(null);
        } else if (previous != ChannelState.CLOSED) {
            log.info("{}: closing", describe());
            EventThread.exec(() -> {
                socket.off();
                socket.close();
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
                closeCompletion.complete(null);
            });
        }
        return closeCompletion;
    }

    private static SSLContext trusting(X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS, which every Java platform has, is unavailable", e);
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** One {@code msg} event to emit: {@code to} is null for a broadcast. */
    private record Outgoing(String to, byte[] envelope) {
        JSONObject toJson() throws CharacterCodingException {
            return new JSONObject(Map.of("to", to == null ? JSONObject.NULL : to, "data", strictUtf8(envelope)));
        }
    }

    /**
     * Sockets with Nagle's algorithm off. Consensus messages are small and answered at once; with
     * Nagle on, a message written while the previous one awaits its ACK waits for the peer's
     * delayed ACK, about 40 ms, which showed as a 48 ms p99 on sequential appends.
     */
    private static final class NoDelaySocketFactory extends SocketFactory {

        private final SocketFactory sockets = SocketFactory.getDefault();

        @Override
        public java.net.Socket createSocket() throws IOException {
            return noDelay(sockets.createSocket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws IOException {
            return noDelay(sockets.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, InetAddress localHost, int localPort)
                throws IOException {
            return noDelay(sockets.createSocket(host, port, localHost, localPort));
        }

        @Override
        public java.net.Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(sockets.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(sockets.createSocket(address, port, localAddress, localPort));
        }

        private static java.net.Socket noDelay(java.net.Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
