package io.gaggle.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;

/**
 * A channel that can be cut, so a benchmark can make a node vanish without warning: once severed
 * it neither sends nor delivers, as if the process had died.
 */
final class SeverableChannel implements Channel {

    private final Channel channel;
    private volatile boolean severed;

    SeverableChannel(Channel channel) {
        this.channel = channel;
    }

    void sever() {
        severed = true;
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
    public CompletableFuture<Void> close() {
        return channel.close();
    }
}
