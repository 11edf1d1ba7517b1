package io.gaggle.channel.socketio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Socket.IO v4 client written by hand on the JDK's WebSocket, for what socket.io-client will not
 * do: send events without having connected to the namespace, or stop reading. It speaks raw
 * Engine.IO packets: {@code 40{..}} connects, {@code 42[..]} is an event, {@code 421[..]} an event
 * asking for the acknowledgement {@code 431[..]}.
 */
final class RawSocketIoClient implements AutoCloseable {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final WebSocket webSocket;
    private volatile boolean reading = true;

    /** Connects to the relay's WebSocket endpoint and reads the Engine.IO open packet. */
    RawSocketIoClient(GaggleSocketIoServer relay) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/socket.io/?EIO=4&transport=websocket");
        webSocket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Listener())
                .get(10, TimeUnit.SECONDS);
        String open = next();
        if (open == null || !open.startsWith("0")) {
            throw new IllegalStateException("no Engine.IO open packet: " + open);
        }
    }

    /** Sends one Engine.IO packet as a text frame, waiting until it is written. */
    void send(String packet) throws Exception {
        webSocket.sendText(packet, true).get(10, TimeUnit.SECONDS);
    }

    /** The next packet received, or null after 10 s without one. */
    String next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next packet received, or null after {@code timeout} without one. */
    String next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads nothing more: the JDK's WebSocket reads from the network only on demand, so the relay's
     * data backs up in the TCP buffers and then in the relay.
     */
    void stopReading() {
        reading = false;
    }

    @Override
    public void close() {
        webSocket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                // Answers the relay's Engine.IO pings, which would otherwise end the connection.
                if ("2".contentEquals(text)) {
                    socket.sendText("3", true);
                } else {
                    received.add(text.toString());
                }
                text.setLength(0);
            }
            if (reading) {
                socket.request(1);
            }
            return null;
        }
    }
}
