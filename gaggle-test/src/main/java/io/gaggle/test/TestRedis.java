package io.gaggle.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.redis.testcontainers.RedisContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The Redis that tests talk to, found once per test JVM, in this order:
 * <ol>
 * <li>the URL in the environment variable {@value #URL_VARIABLE};</li>
 * <li>a Testcontainers Redis, where a Docker engine runs;</li>
 * <li>a Redis answering PING on 127.0.0.1:6379;</li>
 * <li>a {@code redis-server} started on a free port for the JVM's lifetime: the one on the PATH,
 * else the one shipped in the {@code embedded-redis} jar (see {@link RedisServerProcess}).</li>
 * </ol>
 * Where none of these works (an operating system the embedded jar has no binary for, and no
 * Redis installed), {@link #url()} fails and says how to provide one: a test never skips
 * silently for want of Redis. Tests share the Redis, so each should use channel names of its own.
 */
public final class TestRedis {

    /** Names a Redis for the tests to use instead of looking for one. */
    public static final String URL_VARIABLE = "GAGGLE_TEST_REDIS_URL";

    private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.4-alpine");

    private static String url;

    private TestRedis() {
    }

    /**
     * The connection string of the tests' Redis, a {@code redis://} URI.
     *
     * @throws IllegalStateException if no Redis can be found or started
     */
    public static synchronized String url() {
        if (url == null) {
            url = find();
            log.info("Tests use the Redis at {}", url);
        }
        return url;
    }

    private static String find() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (dockerEndpointExists() && DockerClientFactory.instance().isDockerAvailable()) {
            RedisContainer container = new RedisContainer(IMAGE);
            container.start();
            return container.getRedisURI();
        }
        if (answersPing("127.0.0.1", 6379)) {
            return "redis://127.0.0.1:6379";
        }
        try {
            return RedisServerProcess.startOnFreePort().url();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("These tests need a Redis, and none was found. Provide one of: "
                    + "the environment variable " + URL_VARIABLE + "=redis://host:port; a running Docker engine "
                    + "(for Testcontainers); a Redis on 127.0.0.1:6379; or a redis-server binary ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Whether Docker may be reachable at all. Testcontainers takes over a second, and logs an error,
     * to find out that there is no Docker; these places are where it would look first.
     */
    private static boolean dockerEndpointExists() {
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        String runtimeDirectory = System.getenv("XDG_RUNTIME_DIR");
        return Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".docker/desktop/docker.sock"))
                || runtimeDirectory != null && Files.exists(Path.of(runtimeDirectory, "docker.sock"));
    }

    /** Whether a Redis on {@code host:port} answers PING without a password, within half a second. */
    private static boolean answersPing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return "+PONG".equals(reply);
        } catch (IOException e) {
            return false;
        }
    }
}
