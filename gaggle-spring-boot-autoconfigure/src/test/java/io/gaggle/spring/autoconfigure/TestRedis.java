package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The Redis that these tests talk to: the URL in {@value #URL_VARIABLE}, else a Redis answering
 * on 127.0.0.1:6379. With neither, {@link #url()} fails and says how to provide one; tests never
 * skip for want of Redis. A minimal stand-in for the core's test support, which is not published
 * in a test jar. Tests share the Redis, so each uses channel names of its own.
 */
final class TestRedis {

    static final String URL_VARIABLE = "GAGGLE_TEST_REDIS_URL";

    private static final String LOCAL_URL = "redis://127.0.0.1:6379";

    private TestRedis() {
    }

    static String url() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (answersPing()) {
            return LOCAL_URL;
        }
        throw new IllegalStateException("These tests need a Redis, and none was found. Set the environment variable "
                + URL_VARIABLE + "=redis://host:port, or run a Redis on 127.0.0.1:6379 (e.g. redis-server).");
    }

    private static boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException ex) {
            return false;
        }
    }
}
