package io.gaggle.test;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Assumptions;
import reactor.core.publisher.Mono;

/**
 * A Redis Cluster of a few masters, no replicas, each a {@code redis-server --cluster-enabled yes}
 * on a free loopback port with its own directory (for its {@code nodes.conf}) under one temporary
 * directory. {@link #start(int)} splits the 16384 slots evenly, introduces the servers to each
 * other, and returns once every server reports {@code cluster_state:ok}; {@link #close()} stops
 * them all and deletes the directory. Sharded pub/sub needs Redis 7.0 or later.
 */
public final class RedisClusterServers implements AutoCloseable {

    /** Set (to anything) where a redis-server too old for a Redis Cluster must fail the tests rather than skip them. */
    public static final String REQUIRE_REDIS_CLUSTER = "GAGGLE_TEST_REQUIRE_REDIS_CLUSTER";

    private static final int SLOTS = 16384;
    private static final Duration FORMING_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final List<RedisServerProcess> servers = new ArrayList<>();
    /** Each server's arguments, to start it again as the same cluster node. */
    private final List<String[]> settings = new ArrayList<>();
    private final List<Integer> busPorts = new ArrayList<>();
    /** The slots {@link #moveSlot} gave another server than the even split did. */
    private final Map<Integer, Integer> movedSlots = new ConcurrentHashMap<>();

    private RedisClusterServers(Path directory) {
        this.directory = directory;
    }

    /**
     * Starts {@code size} masters and forms them into one cluster.
     *
     * @throws IllegalStateException if a server does not start, or the cluster is not formed within
     *         30 seconds; skips the test (or fails it, see {@link #REQUIRE_REDIS_CLUSTER}) where
     *         redis-server is older than 7.0
     */
    public static RedisClusterServers start(int size) {
        requireShardedPubSub();
        RedisClusterServers cluster;
        try {
            cluster = new RedisClusterServers(Files.createTempDirectory("redis-cluster-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < size; i++) {
                // The bus port is chosen too: by default it is the port + 10000, which may be taken or out of range.
                int busPort = FreePort.pick();
                String[] own = {"--cluster-enabled", "yes", "--cluster-port", String.valueOf(busPort),
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                        "--dir", cluster.subdirectory("node-" + i).toString()};
                cluster.settings.add(own);
                cluster.busPorts.add(busPort);
                cluster.servers.add(RedisServerProcess.start(FreePort.pick(), own));
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Skips the calling test where the only {@code redis-server} is older than 7.0, such as the
     * embedded jar's 6.2 on a machine with nothing but a JDK, or fails it with
     * {@value #REQUIRE_REDIS_CLUSTER} set, as {@code .ci/run} sets it, so CI never skips it.
     */
    private static void requireShardedPubSub() {
        int major = RedisServerProcess.majorVersion();
        if (major >= 7) {
            return;
        }
        String message = "a Redis Cluster with sharded pub/sub needs redis-server 7.0 or later, and "
                + RedisServerProcess.executable() + " is " + major + ".x (Debian: apt-get install redis-server)";
        if (System.getenv(REQUIRE_REDIS_CLUSTER) != null) {
            throw new IllegalStateException(message + ", and " + REQUIRE_REDIS_CLUSTER + " is set");
        }
        Assumptions.abort("Skipped: " + message);
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
            for (int i = 0; i < servers.size(); i++) {
                connections.get(i).sync().clusterAddSlots(IntStream.range(firstSlot(i), firstSlot(i + 1)).toArray());
            }
            RedisCommands<String, String> first = connections.get(0).sync();
            for (int i = 1; i < servers.size(); i++) {
                // CLUSTER MEET with the bus port, which Lettuce's clusterMeet cannot name.
                first.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8)
                        .add("MEET").add("127.0.0.1").add(servers.get(i).port()).add(busPorts.get(i)));
            }
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            client.shutdown();
        }
        awaitClusterStateOk();
    }

    private void awaitClusterStateOk() {
        await("cluster_state:ok on every server").atMost(FORMING_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> servers.stream().allMatch(server -> {
                    String info = clusterInfo(server);
                    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + servers.size() + "\r");
                }));
    }

    private static String clusterInfo(RedisServerProcess server) {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().clusterInfo();
        } finally {
            client.shutdown();
        }
    }

    /** Which server, by its index in {@link #urls()}, serves the slot of {@code key}, e.g. a shard channel. */
    public int indexOfServerFor(String key) {
        int slot = SlotHash.getSlot(key);
        return movedSlots.getOrDefault(slot,
                IntStream.range(0, servers.size()).filter(i -> slot < firstSlot(i + 1)).findFirst().orElseThrow());
    }

    /**
     * Gives the slot of {@code key} to the server at {@code index}, as resharding does
     * (CLUSTER SETSLOT .. NODE on every server, the new owner first), and waits for
     * {@code cluster_state:ok} everywhere. Pub/sub channels are no keys, so nothing is migrated.
     */
    public void moveSlot(String key, int index) {
        int slot = SlotHash.getSlot(key);
        RedisClient client = RedisClient.create();
        try {
            String owner;
            try (StatefulRedisConnection<String, String> target = client.connect(RedisURI.create(servers.get(index).url()))) {
                owner = target.sync().clusterMyId();
                target.sync().clusterSetSlotNode(slot, owner);
            }
            for (RedisServerProcess server : servers) {
                try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(server.url()))) {
                    connection.sync().clusterSetSlotNode(slot, owner);
                }
            }
        } finally {
            client.shutdown();
        }
        movedSlots.put(slot, index);
        awaitClusterStateOk();
    }

    /** The first of the even share of slots that the server at {@code index} serves. */
    private int firstSlot(int index) {
        return SLOTS * index / servers.size();
    }

    /** Kills the server at {@code index} (in {@link #urls()}); its shard is down until {@link #startServer}. */
    public void stopServer(int index) {
        servers.get(index).close();
    }

    /**
     * Starts the server at {@code index} again, on its port and with its {@code nodes.conf}, so it
     * rejoins as the same node with the same slots, and waits for {@code cluster_state:ok} everywhere.
     */
    public void startServer(int index) {
        servers.set(index, RedisServerProcess.start(servers.get(index).port(), settings.get(index)));
        awaitClusterStateOk();
    }

    /**
     * A cluster client whose own connections, the "default" one each cluster connection keeps
     * beside those to the shards, always go to the server at {@code index}, where Lettuce would
     * pick any node: to see what that server going down does to them. Its resources are its own,
     * released by {@link RedisClusterClient#shutdown()}.
     */
    public RedisClusterClient clientWithDefaultConnectionsTo(int index) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", servers.get(index).port());
        return new RedisClusterClient(null, urls().stream().map(RedisURI::create).toList()) {
            @Override
            protected Mono<SocketAddress> getSocketAddressSupplier(Supplier<Partitions> partitions,
                    Function<Partitions, Collection<RedisClusterNode>> sortFunction) {
                return Mono.just(address);
            }
        };
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
