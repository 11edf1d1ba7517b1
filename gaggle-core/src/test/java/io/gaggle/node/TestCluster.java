package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.SeverableChannel;

import static org.awaitility.Awaitility.await;

/**
 * The nodes of one cluster for a test, each behind a {@link SeverableChannel} so a test can crash
 * a node or cut its network; on a memory hub of its own unless given another channel. Closes
 * every node at the end.
 */
final class TestCluster implements AutoCloseable {

    private final List<Gaggle> nodes = new ArrayList<>();
    private final List<SeverableChannel> channels = new ArrayList<>();
    private final Set<Gaggle> crashed = new HashSet<>();

    TestCluster(int size) {
        this(size, builder -> builder);
    }

    TestCluster(int size, UnaryOperator<Gaggle.Builder> settings) {
        this(size, memoryHub(), settings);
    }

    TestCluster(int size, Supplier<ChannelConfig> channel, UnaryOperator<Gaggle.Builder> settings) {
        this(size, channel, (node, builder) -> settings.apply(builder));
    }

    /** Node {@code i}, with id {@code node-i}, gets {@code settings.apply(i, builder)}. */
    TestCluster(int size, Supplier<ChannelConfig> channel,
            BiFunction<Integer, Gaggle.Builder, Gaggle.Builder> settings) {
        this(channel.get(), size, (i, severable) -> settings.apply(i,
                Gaggle.builder().id("node-" + i).clusterSize(size).channel(severable)).build());
    }

    private TestCluster(ChannelConfig config, int size, NodeFactory factory) {
        for (int i = 0; i < size; i++) {
            SeverableChannel severable = new SeverableChannel(config.createChannel());
            channels.add(severable);
            nodes.add(factory.build(i, () -> severable));
        }
        nodes.forEach(Gaggle::start);
    }

    /** Builds node {@code i}, with id {@code node-i}, of the cluster, on {@code channel}. */
    @FunctionalInterface
    interface NodeFactory {
        Gaggle build(int i, ChannelConfig channel);
    }

    /** A cluster on a memory hub of its own whose nodes {@code factory} builds, for nodes the builder cannot make. */
    static TestCluster of(int size, NodeFactory factory) {
        return new TestCluster(memoryHub().get(), size, factory);
    }

    private static Supplier<ChannelConfig> memoryHub() {
        return () -> ChannelConfig.memory("test-" + UUID.randomUUID());
    }

    List<Gaggle> nodes() {
        return nodes;
    }

    /** Nodes neither closed nor crashed. */
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

    /** The node's network is cut; it keeps running, alone. */
    void cut(Gaggle node) {
        channels.get(nodes.indexOf(node)).sever();
    }

    void restore(Gaggle node) {
        channels.get(nodes.indexOf(node)).restore();
    }

    /** The thread delivering the node's next envelope is held: it stops reading. */
    CompletableFuture<Void> stall(Gaggle node) {
        return channels.get(nodes.indexOf(node)).stall();
    }

    void resume(Gaggle node) {
        channels.get(nodes.indexOf(node)).resume();
    }

    /** Waits until exactly one live node leads and every live node follows it; returns it. */
    Gaggle awaitLeader() {
        return await().atMost(Duration.ofSeconds(20)).until(this::agreedLeader, leader -> leader != null);
    }

    private Gaggle agreedLeader() {
        List<Gaggle> live = live();
        List<Gaggle> leaders = live.stream().filter(Gaggle::isLeader).toList();
        if (leaders.size() != 1) {
            return null;
        }
        Gaggle leader = leaders.get(0);
        boolean agreed = live.stream().allMatch(node -> node.getLeaderId().orElse("").equals(leader.getId())
                && node.getTerm() == leader.getTerm());
        return agreed ? leader : null;
    }

    Gaggle aFollower() {
        Gaggle leader = awaitLeader();
        return live().stream().filter(node -> node != leader).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        nodes.stream().map(Gaggle::close).toList().forEach(CompletableFuture::join);
    }

    /** The application data a node has committed and its log retains, in log order. */
    static List<String> committed(Gaggle node) {
        List<LogEntry> log = node.getLog();
        long first = node.getStatus().firstLogIndex();
        return log.subList(0, (int) Math.max(0, node.getCommitIndex() - first + 1)).stream()
                .filter(entry -> !entry.isNoop()).map(entry -> entry.data().asString()).toList();
    }
}
