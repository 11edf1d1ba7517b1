package io.gaggle;

import io.gaggle.channel.Channel;
import io.gaggle.channel.memory.MemoryChannel;

/**
 * Which channel a node talks over, as the original's {@code channel} option. Each node of a
 * cluster must use an equal configuration (same hub, Redis channel name or Socket.IO channel).
 */
@FunctionalInterface
public interface ChannelConfig {

    /** Creates a new, unopened channel for one node. */
    Channel createChannel();

    /** The in-memory channel on hub {@code "default"}: nodes in one JVM only, for tests. */
    static ChannelConfig memory() {
        return memory("default");
    }

    /** The in-memory channel on the named hub: nodes of one JVM on the same hub form a cluster. */
    static ChannelConfig memory(String name) {
        requireText(name, "memory channel name");
        return () -> new MemoryChannel(name);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
