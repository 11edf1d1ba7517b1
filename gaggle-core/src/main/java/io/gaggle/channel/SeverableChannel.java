package io.gaggle.channel;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A channel that can be cut and restored, for failure testing: while severed the node neither
 * sends nor receives, as if its network (or its process) were gone, while the channel underneath
 * stays connected. Wrap a channel with it in a {@link io.gaggle.ChannelConfig}:
 * {@code SeverableChannel cut = new SeverableChannel(ChannelConfig.redis("foo").createChannel());
 * builder.channel(() -> cut)}.
 */
public final class SeverableChannel implements Channel {

    private final Channel channel;
    private volatile boolean severed;

    public SeverableChannel(Channel channel) {
        this.channel = channel;
    }

    /** Cuts the node off: nothing leaves, nothing arrives. */
    public void sever() {
        severed = true;
    }

    /** Reconnects the node. */
    public void restore() {
        severed = false;
    }

    @Override
    public void open(String nodeId, Consumer<byte[]> receiver) {
        channel.open(nodeId, envelope -> {
            if (!severed) {
                receiver.accept(envelope);
            }
        });
    }

    @Override
    public void send(String to, byte[] envelope) {
        if (!severed) {
            channel.send(to, envelope);
        }
    }

    @Override
    public void broadcast(byte[] envelope) {
        if (!severed) {
            channel.broadcast(envelope);
        }
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public ChannelState state() {
        return channel.state();
    }

    @Override
    public String describe() {
        return channel.describe();
    }

    @Override
    public boolean reachableFromOutside() {
        return channel.reachableFromOutside();
    }

    @Override
    public CompletableFuture<Void> close() {
        return channel.close();
    }
}
