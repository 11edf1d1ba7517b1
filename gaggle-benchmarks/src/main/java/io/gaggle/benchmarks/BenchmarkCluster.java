package io.gaggle.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.SeverableChannel;
import io.gaggle.channel.socketio.GaggleSocketIoServer;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * A cluster of nodes in this JVM on one channel, each behind a {@link SeverableChannel}, keeping
 * its state in memory or, with file storage, in a directory of its own that the cluster deletes
 * when it closes.
 */
final class BenchmarkCluster implements AutoCloseable {

    private final List<Gaggle> nodes = new ArrayList<>();
    private final List<SeverableChannel> channels = new ArrayList<>();
    /** Each node's application, with {@code --snapshot-threshold}; else empty. */
    private final List<RecentKeys> states = new ArrayList<>();
    private final Set<Gaggle> crashed = new HashSet<>();
    private final AutoCloseable channelResources;
    private final ScratchDirectory storage;
    private final String channel;
    private final String storageKind;
    private final BenchmarkOptions options;
    final long electMillis;

    /**
     * A cluster of {@code size} nodes on {@code channel}, with {@code storage} ({@code memory} or
     * {@code file}) and the options' settings.
     */
    BenchmarkCluster(String channel, int size, String storage, BenchmarkOptions options) throws Exception {
        this.channel = channel;
        this.storageKind = storage;
        this.options = options;
        this.storage = storage.equals("file") ? ScratchDirectory.create(options.storageRoot(), "gaggle-bench-") : null;
        ChannelEndpoint endpoint = ChannelEndpoint.create(channel, "bench-" + UUID.randomUUID(), options.redisUrl());
        this.channelResources = endpoint.resources();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < size; i++) {
                String id = "node-" + i;
                SeverableChannel severable = new SeverableChannel(endpoint.configs().get().createChannel());
                channels.add(severable);
                Gaggle.Builder builder = Gaggle.builder().id(id).clusterSize(size).channel(() -> severable)
                        .storage(this.storage == null ? null : this.storage.path().resolve(id))
                        .accelerateHeartbeats(options.accelerate()).secret(options.secret());
                RecentKeys state = options.snapshotThreshold() >= 0 ? new RecentKeys() : null;
                if (options.snapshotThreshold() > 0) {
                    builder.snapshotter(state).snapshotThreshold(options.snapshotThreshold());
                }
                Gaggle node = builder.build();
                if (state != null) {
                    state.follow(node);
                    states.add(state);
                }
                nodes.add(node);
            }
            start = System.nanoTime();
            nodes.forEach(Gaggle::start);
            awaitLeader(Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            // No run leaves its storage directories behind, not even one that failed.
            close();
            throw e;
        }
        this.electMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /** A new cluster like this one: same channel, size, storage and settings, its own nodes. */
    BenchmarkCluster fresh() throws Exception {
        return new BenchmarkCluster(channel, nodes.size(), storageKind, options);
    }

    List<Gaggle> nodes() {
        return nodes;
    }

    /** How many snapshots the nodes' applications saved, all together. */
    int snapshotsSaved() {
        return states.stream().mapToInt(RecentKeys::saves).sum();
    }

    /** The one node every live node agrees leads, waiting for the cluster to settle. */
    Gaggle awaitLeader(Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Gaggle leader = agreedLeader();
            if (leader != null) {
                return leader;
            }
            LockSupport.parkNanos(100_000);
        }
        throw new TimeoutException("no leader within " + timeout);
    }

    private Gaggle agreedLeader() {
        List<Gaggle> live = live();
        List<Gaggle> leaders = live.stream().filter(Gaggle::isLeader).toList();
        if (leaders.size() != 1) {
            return null;
        }
        Gaggle leader = leaders.get(0);
        boolean agreed = live.stream().allMatch(node -> node.getLeaderId().orElse("").equals(leader.getId()));
        return agreed ? leader : null;
    }

    /** Nodes neither crashed nor closed. */
    List<Gaggle> live() {
        return nodes.stream()
                .filter(node -> !crashed.contains(node) && node.getStatus().channelState() != ChannelState.CLOSED)
                .toList();
    }

    /** The node vanishes without warning: no goodbye, no leadership transfer. */
    void crash(Gaggle node) {
        crashed.add(node);
        channels.get(nodes.indexOf(node)).sever();
    }

    @Override
    public void close() throws Exception {
        for (Gaggle node : nodes) {
            node.close().get();
        }
        if (channelResources != null) {
            channelResources.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    /**
     * The channel every node of a run uses, as each node's configuration, and what the run must
     * close after its nodes: a relay server, or the nodes' Redis Cluster clients.
     */
    record ChannelEndpoint(Supplier<ChannelConfig> configs, AutoCloseable resources) {

        static ChannelEndpoint create(String channel, String name, String redisUrl) {
            switch (channel) {
                case "memory":
                    return shared(ChannelConfig.memory(name), null);
                case "redis":
                    return shared(ChannelConfig.redis(name, redisUrl), null);
                case "redis-cluster":
                    // A client per node, as separate processes would have; the channel never closes it.
                    List<RedisClusterClient> clients = new CopyOnWriteArrayList<>();
                    return new ChannelEndpoint(() -> {
                        RedisClusterClient client = RedisClusterClient.create(redisUrl);
                        clients.add(client);
                        return ChannelConfig.RedisOnClient.of(name, client);
                    }, () -> clients.forEach(RedisClusterClient::shutdown));
                case "socket.io":
                    GaggleSocketIoServer relay = new GaggleSocketIoServer("127.0.0.1", 0).start();
                    return shared(ChannelConfig.socketIo("http://127.0.0.1:" + relay.port(), name), relay::close);
                default:
                    throw new IllegalArgumentException("unknown channel " + channel);
            }
        }

        private static ChannelEndpoint shared(ChannelConfig config, AutoCloseable resources) {
            return new ChannelEndpoint(() -> config, resources);
        }
    }
}
