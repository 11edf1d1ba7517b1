package io.gaggle.channel.socketio;

import java.net.URI;
import java.util.List;
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

    RelayWatcher(GaggleSocketIoServer relay) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.transports = new String[] {WebSocket.NAME};
        socket = IO.socket(URI.create("http://127.0.0.1:" + relay.port()), options);
        socket.on("msg", args -> received.add(args[0]));
        socket.connect();
    }

    /** Declares a channel and waits for the relay's acknowledgement. */
    void declare(Object declaration) throws Exception {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        socket.emit("declareChannel", new Object[] {declaration}, args -> acknowledged.complete(null));
        acknowledged.get(10, TimeUnit.SECONDS);
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

    @Override
    public void close() {
        socket.close();
    }
}
