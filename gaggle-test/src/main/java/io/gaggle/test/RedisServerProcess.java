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
import java.util.Optional;

import org.awaitility.core.ConditionTimeoutException;
import redis.embedded.core.ExecutableProvider;

/**
 * A {@code redis-server} that a test starts on a port of its choosing and stops when it likes,
 * to see what a channel does while Redis is down, comes up late or restarts. It keeps nothing on
 * disk, listens on 127.0.0.1 only and is killed when the test JVM exits, should a test forget.
 * <p>
 * It runs the {@code redis-server} on the PATH, else the one shipped inside the
 * {@code embedded-redis} jar (Redis 6.2, for Linux and macOS on x86-64 and arm64), so tests need
 * nothing installed but a JDK.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final String BINARY = "redis-server";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static Path executable;
    private static int majorVersion;

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
     * @param settings more {@code redis-server} arguments, one word each, e.g.
     *        {@code "--user", "name", "on", ">password", "+@all"}: Redis 6.2 (the embedded binary)
     *        reads a multi-word argument as one quoted value
     * @throws IllegalStateException if there is no {@code redis-server} for this machine, or it does not come up
     */
    public static RedisServerProcess start(int port, String... settings) {
        return start(port, List.of(), settings);
    }

    /**
     * Starts {@code redis-server} with a configuration file, e.g. a Sentinel's (with
     * {@code "--sentinel"} among the settings), on {@code port}, and waits until it listens.
     *
     * @param configFile read first, so that the settings override it; Sentinel rewrites it
     * @param settings more {@code redis-server} arguments, as for {@link #start(int, String...)}
     */
    public static RedisServerProcess start(int port, Path configFile, String... settings) {
        return start(port, List.of(configFile.toString()), settings);
    }

    private static RedisServerProcess start(int port, List<String> configFile, String... settings) {
        Path binary = executable();
        Path output;
        Process process;
        try {
            output = Files.createTempFile("redis-server-" + port + "-", ".log");
            output.toFile().deleteOnExit();
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            command.addAll(configFile);
            command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no"));
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

    /**
     * The {@code redis-server} this class runs: the one on the PATH, else the embedded jar's,
     * extracted once per JVM.
     *
     * @throws IllegalStateException if there is neither, on an operating system or processor the
     *         embedded jar has no binary for
     */
    public static synchronized Path executable() {
        if (executable == null) {
            executable = onPath().orElseGet(RedisServerProcess::extractEmbedded);
        }
        return executable;
    }

    /**
     * The major version of the {@link #executable()}, as its {@code --version} prints it
     * ({@code Redis server v=7.0.15 ...}), read once per JVM.
     *
     * @throws IllegalStateException if it does not run or prints no version
     */
    public static synchronized int majorVersion() {
        if (majorVersion == 0) {
            String printed;
            try {
                Process process = new ProcessBuilder(executable().toString(), "--version").redirectErrorStream(true)
                        .start();
                printed = new String(process.getInputStream().readAllBytes());
                process.waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            int start = printed.indexOf("v=");
            if (start < 0) {
                throw new IllegalStateException(executable() + " --version printed no version: " + printed);
            }
            majorVersion = Integer.parseInt(printed.substring(start + 2).split("\\.")[0]);
        }
        return majorVersion;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        for (String directory : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, BINARY);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path extractEmbedded() {
        try {
            Path binary = ExecutableProvider.newJarResourceProvider().get().toPath();
            binary.toFile().setExecutable(true);
            return binary;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("There is no '" + BINARY + "' on the PATH, and the embedded-redis jar "
                    + "has none for " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                    + " (" + e.getMessage() + "). Install Redis (Debian/Ubuntu: apt-get install redis-server; "
                    + "macOS: brew install redis)", e);
        }
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

    /**
     * Stops the server's process (SIGSTOP) without closing its port: connections are still
     * accepted, by the kernel, but nothing answers, as from a server that hangs or a network that
     * drops the packets. {@link #resume()} lets it go on.
     */
    public void pause() {
        ProcessSignal.send("STOP", process.pid());
    }

    /** Lets a {@link #pause() paused} server go on (SIGCONT). */
    public void resume() {
        ProcessSignal.send("CONT", process.pid());
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
