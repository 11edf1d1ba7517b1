package io.gaggle.test;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A Redis Cluster of a few masters, no replicas, each a {@code redis-server --cluster-enabled yes}
 * on a free loopback port with its own directory (for its {@code nodes.conf}) under one temporary
 * directory. {@link #start(int)} splits the 16384 slots evenly, introduces the servers to each
 * other, and returns once every server reports {@code cluster_state:ok}; {@link #close()} stops
 * them all and deletes the directory. Sharded pub/sub needs Redis 7.0 or later.
 */
public final class RedisClusterServers implements AutoCloseable {

    private static final int SLOTS = 16384;
    private static final Duration FORMING_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final List<RedisServerProcess> servers = new ArrayList<>();

    private RedisClusterServers(Path directory) {
        this.directory = directory;
    }

    /**
     * Starts {@code size} masters and forms them into one cluster.
     *
     * @throws IllegalStateException if a server does not start, is older than Redis 7.0, or the
     *         cluster is not formed within 30 seconds
     */
    public static RedisClusterServers start(int size) {
        RedisClusterServers cluster;
        try {
            cluster = new RedisClusterServers(Files.createTempDirectory("redis-cluster-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < size; i++) {
                Path own = cluster.subdirectory("node-" + i);
                cluster.servers.add(RedisServerProcess.start(FreePort.pick(), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000", "--dir", own.toString()));
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private Path subdirectory(String name) {
        try {
            return Files.createDirectories(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void form() {
        RedisClient client = RedisClient.create();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            for (RedisServerProcess server : servers) {
                connections.add(client.connect(RedisURI.create(server.url())));
            }
            String version = connections.get(0).sync().info("server").lines()
                    .filter(line -> line.startsWith("redis_version:")).findFirst().orElse("redis_version:0");
            if (Integer.parseInt(version.substring("redis_version:".length()).split("\\.")[0]) < 7) {
                throw new IllegalStateException("A Redis Cluster for sharded pub/sub needs Redis 7.0 or later, and the "
                        + "redis-server at " + RedisServerProcess.executable() + " is " + version
                        + "; install a newer one (Debian/Ubuntu: apt-get install redis-server)");
            }
            for (int i = 0; i < servers.size(); i++) {
                int from = SLOTS * i / servers.size();
                int to = SLOTS * (i + 1) / servers.size();
                connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
            }
            RedisCommands<String, String> first = connections.get(0).sync();
            for (RedisServerProcess server : servers.subList(1, servers.size())) {
                first.clusterMeet("127.0.0.1", server.port());
            }
            await("cluster_state:ok on every server").atMost(FORMING_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> connections.stream().allMatch(connection -> {
                        String info = connection.sync().clusterInfo();
                        return info.contains("cluster_state:ok")
                                && info.contains("cluster_known_nodes:" + servers.size() + "\r");
                    }));
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            client.shutdown();
        }
    }

    /** Each server's {@code redis://127.0.0.1:<port>}, as initial URIs for a cluster client. */
    public List<String> urls() {
        return servers.stream().map(RedisServerProcess::url).toList();
    }

    /** Stops every server and deletes their directory. */
    @Override
    public void close() {
        servers.forEach(RedisServerProcess::close);
        TemporaryDirectory.delete(directory);
    }
}
