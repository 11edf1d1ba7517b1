package io.gaggle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for servers that tests start, stop and start again on the same port. */
public final class FreePort {

    private FreePort() {
    }

    /** A port nothing listens on right now. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
