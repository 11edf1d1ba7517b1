package io.gaggle.channel.memory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;

/**
 * Nodes of one JVM that use the same hub name reach each other through this channel. Envelopes
 * are still serialised bytes, exactly as they would cross a wire. Delivery is reliable and in
 * order; the receiving node decodes on the sender's thread and queues the message.
 */
public final class MemoryChannel implements Channel {

    private final String hubName;
    private final MemoryHub hub;
    private volatile String nodeId;
    private volatile Consumer<byte[]> receiver;
    private volatile ChannelState state = ChannelState.NEW;

    public MemoryChannel(String hubName) {
        this.hubName = hubName;
        this.hub = MemoryHub.named(hubName);
    }

    @Override
    public void open(String nodeId, Consumer<byte[]> receiver) {
        if (state != ChannelState.NEW) {
            throw new IllegalStateException("memory channel already opened");
        }
        this.nodeId = nodeId;
        this.receiver = receiver;
        hub.join(nodeId, receiver);
        state = ChannelState.CONNECTED;
    }

    @Override
    public void send(String to, byte[] envelope) {
        if (state == ChannelState.CONNECTED) {
            hub.send(to, envelope);
        }
    }

    @Override
    public void broadcast(byte[] envelope) {
        if (state == ChannelState.CONNECTED) {
            hub.broadcast(nodeId, envelope);
        }
    }

    @Override
    public ChannelState state() {
        return state;
    }

    @Override
    public String describe() {
        return "memory " + hubName;
    }

    @Override
    public boolean reachableFromOutside() {
        return false;
    }

    @Override
    public CompletableFuture<Void> close() {
        if (state == ChannelState.CONNECTED) {
            hub.leave(nodeId, receiver);
        }
        state = ChannelState.CLOSED;
        return CompletableFuture.completedFuture(null);
    }
}
