package io.gaggle.channel.socketio;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;

/**
 * A bare Socket.IO client on a relay, as a JavaScript watcher or the original's clients use it:
 * it declares whatever it is told to and keeps the msg events it receives.
 */
final class RelayWatcher implements AutoCloseable {

    private final Socket socket;
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Object> connectError = new CompletableFuture<>();
    private final CompletableFuture<Object> disconnect = new CompletableFuture<>();

    RelayWatcher(GaggleSocketIoServer relay) {
        this(relay, null);
    }

    /** A watcher that sends {@code token} in the handshake's auth payload, or none if null. */
    RelayWatcher(GaggleSocketIoServer relay, String token) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {WebSocket.NAME};
        if (token != null) {
            options.auth = Map.of("token", token);
        }
        socket = IO.socket(URI.create("http://127.0.0.1:" + relay.port()), options);
        socket.on("msg", args -> received.add(args[0]));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectError.complete(args.length > 0 ? args[0] : null));
        socket.on(Socket.EVENT_DISCONNECT, args -> disconnect.complete(args.length > 0 ? args[0] : null));
        socket.connect();
    }

    /** Declares a channel and waits for the relay's acknowledgement, which it returns. */
    Object declare(Object declaration) throws Exception {
        CompletableFuture<Object> acknowledged = new CompletableFuture<>();
        socket.emit("declareChannel", new Object[] {declaration},
                args -> acknowledged.complete(args.length > 0 ? args[0] : null));
        return acknowledged.get(10, TimeUnit.SECONDS);
    }

    /** Declares a channel without asking for an acknowledgement, as the original's clients do. */
    void declareWithoutAck(Object declaration) {
        socket.emit("declareChannel", declaration);
    }

    void emitMsg(Object payload) {
        socket.emit("msg", payload);
    }

    /** The payloads of the msg events received so far. */
    List<Object> received() {
        return List.copyOf(received);
    }

    /** Completes with the connect_error's payload, if the relay refuses the connection. */
    CompletableFuture<Object> connectError() {
        return connectError;
    }

    /** Completes with the reason, once disconnected. */
    CompletableFuture<Object> disconnect() {
        return disconnect;
    }

    boolean connected() {
        return socket.connected();
    }

    @Override
    public void close() {
        socket.close();
    }
}
