package io.gaggle.channel.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The nodes of one JVM that share a memory channel name, by node id.
 */
final class MemoryHub {

    private static final Map<String, MemoryHub> HUBS = new ConcurrentHashMap<>();

    private final Map<String, Consumer<byte[]>> receivers = new ConcurrentHashMap<>();

    static MemoryHub named(String name) {
        return HUBS.computeIfAbsent(name, n -> new MemoryHub());
    }

    void join(String nodeId, Consumer<byte[]> receiver) {
        receivers.put(nodeId, receiver);
    }

    void leave(String nodeId, Consumer<byte[]> receiver) {
        receivers.remove(nodeId, receiver);
    }

    void send(String to, byte[] envelope) {
        Consumer<byte[]> receiver = receivers.get(to);
        if (receiver != null) {
            receiver.accept(envelope);
        }
    }

    void broadcast(String from, byte[] envelope) {
        receivers.forEach((id, receiver) -> {
            if (!id.equals(from)) {
                receiver.accept(envelope);
            }
        });
    }
}
