package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.ChannelState;

import static org.awaitility.Awaitility.await;

/**
 * Nodes of one cluster on a memory hub of their own, for a test; closes them all at the end.
 */
final class MemoryCluster implements AutoCloseable {

    private final String hub = "test-" + UUID.randomUUID();
    private final List<Gaggle> nodes = new ArrayList<>();
    private final int size;

    MemoryCluster(int size) {
        this(size, builder -> builder);
    }

    MemoryCluster(int size, UnaryOperator<Gaggle.Builder> settings) {
        this.size = size;
        for (int i = 0; i < size; i++) {
            Gaggle node = settings.apply(builder("node-" + i)).build();
            nodes.add(node);
        }
        nodes.forEach(Gaggle::start);
    }

    Gaggle.Builder builder(String id) {
        return Gaggle.builder().id(id).clusterSize(size).channel(ChannelConfig.memory(hub));
    }

    List<Gaggle> nodes() {
        return nodes;
    }

    List<Gaggle> live() {
        return nodes.stream().filter(node -> node.getStatus().channelState() != ChannelState.CLOSED)
                .toList();
    }

    /** Waits until exactly one live node leads and every live node follows it; returns it. */
    Gaggle awaitLeader() {
        return await().atMost(Duration.ofSeconds(10)).until(this::agreedLeader, leader -> leader != null);
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
        nodes.forEach(node -> node.close().join());
    }
}
