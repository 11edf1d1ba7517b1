package io.gaggle.test;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@code redis-server} that a test starts on a port of its choosing and stops when it likes,
 * to see what a channel does while Redis is down, comes up late or restarts. It keeps nothing on
 * disk, listens on 127.0.0.1 only and is killed when the test JVM exits, should a test forget.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final String BINARY = "redis-server";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Process process;
    private final Thread killAtExit;

    private RedisServerProcess(int port, Process process) {
        this.port = port;
        this.process = process;
        this.killAtExit = new Thread(process::destroyForcibly, "kill redis-server on " + port);
        Runtime.getRuntime().addShutdownHook(killAtExit);
    }

    /**
     * Starts {@code redis-server} on {@code port} and waits until it listens.
     *
     * @param settings more {@code redis-server} arguments, e.g. {@code "--user", "name", "on", ">password", "+@all"}
     * @throws IllegalStateException if there is no {@code redis-server} on the PATH, or it does not come up
     */
    public static RedisServerProcess start(int port, String... settings) {
        if (!onPath()) {
            throw new IllegalStateException("This test starts and stops its own Redis, so it needs the '" + BINARY
                    + "' binary on the PATH (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)");
        }
        Path output;
        Process process;
        try {
            output = Files.createTempFile("redis-server-" + port + "-", ".log");
            output.toFile().deleteOnExit();
            List<String> command = new ArrayList<>(List.of(BINARY, "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
            command.addAll(List.of(settings));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        RedisServerProcess server = new RedisServerProcess(port, process);
        try {
            await().atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || listens(port));
        } catch (ConditionTimeoutException e) {
            server.close();
            throw new IllegalStateException(BINARY + " on port " + port + " did not listen within "
                    + STARTUP_TIMEOUT + "; its output: " + read(output), e);
        }
        if (!process.isAlive()) {
            server.close();
            throw new IllegalStateException(BINARY + " on port " + port + " exited: " + read(output));
        }
        return server;
    }

    /** Starts {@code redis-server} on a free port. */
    public static RedisServerProcess startOnFreePort() {
        return start(FreePort.pick());
    }

    /** Whether a {@code redis-server} binary is on the PATH. */
    public static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, BINARY))) {
                return true;
            }
        }
        return false;
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port this server listens on. */
    public int port() {
        return port;
    }

    /** The connection string for this server. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server and waits until it has exited, so its port is free again. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killAtExit);
        } catch (IllegalStateException alreadyExiting) {
            // The JVM is exiting and runs the hook anyway.
        }
    }

    private static String read(Path output) {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
