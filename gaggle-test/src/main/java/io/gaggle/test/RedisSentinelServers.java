package io.gaggle.test;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;

/**
 * A Redis master, one replica of it and one Sentinel that monitors them under
 * {@link #MASTER_NAME} with a quorum of one, each a {@code redis-server} on a free loopback port.
 * {@link #failover()} promotes the replica, as Sentinel does when a master fails, and returns once
 * Sentinel names the new master and it serves as one. {@link #close()} stops all three.
 */
public final class RedisSentinelServers implements AutoCloseable {

    /** The name Sentinel monitors the master under, as in {@code redis-sentinel://..#gaggle}. */
    public static final String MASTER_NAME = "gaggle";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private RedisServerProcess master;
    private RedisServerProcess replica;
    private RedisServerProcess sentinel;

    private RedisSentinelServers(Path directory) {
        this.directory = directory;
    }

    /**
     * Starts the master, the replica and the Sentinel, and returns once Sentinel knows the replica
     * and the replica's link to the master is up, so that a failover can promote it.
     *
     * @throws IllegalStateException if a server does not start, or Sentinel does not see the
     *         replica within 30 seconds
     */
    public static RedisSentinelServers start() {
        RedisSentinelServers servers;
        try {
            servers = new RedisSentinelServers(Files.createTempDirectory("redis-sentinel-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // A replica saves what its master sends to disk, and after a failover the old master
            // is a replica: each in a directory of its own, not the test's working directory.
            servers.master = RedisServerProcess.start(FreePort.pick(), "--dir", servers.subdirectory("master"));
            servers.replica = RedisServerProcess.start(FreePort.pick(), "--dir", servers.subdirectory("replica"),
                    "--replicaof", "127.0.0.1", String.valueOf(servers.master.port()));
            Path config = servers.directory.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + servers.master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000", ""));
            servers.sentinel = RedisServerProcess.start(FreePort.pick(), config, "--sentinel",
                    "--dir", servers.directory.toString());
            servers.awaitReplicaKnown();
            return servers;
        } catch (IOException e) {
            servers.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private String subdirectory(String name) throws IOException {
        return Files.createDirectories(directory.resolve(name)).toString();
    }

    private void awaitReplicaKnown() {
        await("Sentinel sees the replica of " + masterPort()).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> withSentinel(sentinel -> sentinel.sync().replicas(MASTER_NAME).stream()
                        .anyMatch(known -> "ok".equals(known.get("master-link-status"))
                                && !known.get("flags").contains("down"))));
    }

    /** The Sentinel's port. */
    public int sentinelPort() {
        return sentinel.port();
    }

    /** The connection string for the master that Sentinel names, whichever server that is now. */
    public String url() {
        return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER_NAME;
    }

    /** The port of the server that Sentinel names as the master. */
    public int masterPort() {
        return withSentinel(sentinel -> ((InetSocketAddress) sentinel.sync().getMasterAddrByName(MASTER_NAME)).getPort());
    }

    /**
     * Promotes the replica (SENTINEL FAILOVER) and returns once Sentinel names it as the master
     * and it reports the role of a master.
     *
     * @throws IllegalStateException if the failover does not complete within 30 seconds
     */
    public void failover() {
        int oldMaster = masterPort();
        withSentinel(sentinel -> sentinel.sync().failover(MASTER_NAME));
        await("Sentinel names a new master instead of " + oldMaster).atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).until(() -> masterPort() != oldMaster);
        await("the new master serves as master").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> isMaster(masterPort()));
    }

    private static boolean isMaster(int port) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return "master".equals(connection.sync().role().get(0));
        } finally {
            client.shutdown();
        }
    }

    private <T> T withSentinel(Function<StatefulRedisSentinelConnection<String, String>, T> use) {
        RedisClient client = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> connection = client
                .connectSentinel(RedisURI.create("127.0.0.1", sentinel.port()))) {
            return use.apply(connection);
        } finally {
            client.shutdown();
        }
    }

    /** Stops the Sentinel, the replica and the master, and deletes the Sentinel's directory. */
    @Override
    public void close() {
        for (RedisServerProcess server : new RedisServerProcess[] {sentinel, replica, master}) {
            if (server != null) {
                server.close();
            }
        }
        TemporaryDirectory.delete(directory);
    }
}
