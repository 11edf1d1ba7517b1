package io.gaggle.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A channel that can be cut and restored, for failure testing: while severed the node neither
 * sends nor receives, as if its network (or its process) were gone, while the channel underneath
 * stays connected. It can also be stalled: the thread that delivers received envelopes is held,
 * so the transport underneath stops reading, as behind a node too slow to keep up. Wrap a channel
 * with it in a {@link io.gaggle.ChannelConfig}:
 * {@code SeverableChannel cut = new SeverableChannel(ChannelConfig.redis("foo").createChannel());
 * builder.channel(() -> cut)}.
 */
public final class SeverableChannel implements Channel {

    private final Channel channel;
    private volatile boolean severed;
    private volatile CountDownLatch stall;
    private volatile CompletableFuture<Void> stalled = new CompletableFuture<>();

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

    /**
     * Holds the thread that delivers the next envelope received, until {@link #resume()} or
     * {@link #close()}.
     *
     * @return completes once a thread is held
     */
    public CompletableFuture<Void> stall() {
        stalled = new CompletableFuture<>();
        stall = new CountDownLatch(1);
        return stalled;
    }

    /** Lets a held thread deliver its envelope, and every later one through. */
    public void resume() {
        CountDownLatch held = stall;
        stall = null;
        if (held != null) {
            held.countDown();
        }
    }

    @Override
    public void open(String nodeId, Consumer<byte[]> receiver) {
        channel.open(nodeId, envelope -> {
            awaitResume();
            if (!severed) {
                receiver.accept(envelope);
            }
        });
    }

    private void awaitResume() {
        CountDownLatch held = stall;
        if (held != null) {
            stalled.complete(null);
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        resume();
        return channel.close();
    }
}
