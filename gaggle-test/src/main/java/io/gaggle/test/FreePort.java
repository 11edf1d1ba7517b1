package io.gaggle.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports for servers that a test must name before they start, or stops and starts again on the
 * same port.
 */
public final class FreePort {

    private FreePort() {
    }

    /**
     * A port nothing listens on right now. Another process may take it before the test does, which
     * on a test machine is rare enough to accept.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a server could listen on {@code port} now, e.g. because the one that did has let it go. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
